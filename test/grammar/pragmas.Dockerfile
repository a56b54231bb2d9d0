# SYNTAX TEST "source.dockerfile" "# platforms= and # green-cloud ignore= pragmas"
# platforms=linux/amd64,linux/arm64, linux/arm/v7
# <- comment.line.number-sign.directive.platforms.dockerfile punctuation.definition.comment.dockerfile
# ^^^^^^^^^ keyword.other.directive.platforms.dockerfile
#          ^ keyword.operator.assignment.dockerfile
#           ^^^^^^^^^^^ constant.other.platform.dockerfile
#                      ^ punctuation.separator.platform.dockerfile
#                       ^^^^^^^^^^^ constant.other.platform.dockerfile
#                                    ^^^^^^^^^^^^ constant.other.platform.dockerfile
#platforms = arm64
#^^^^^^^^^ keyword.other.directive.platforms.dockerfile
#            ^^^^^ constant.other.platform.dockerfile
# green-cloud ignore=GC101,GC104
# ^^^^^^^^^^^ comment.line.number-sign.pragma.green-cloud.dockerfile keyword.other.pragma.green-cloud.dockerfile
#             ^^^^^^ keyword.other.pragma.ignore.dockerfile
#                   ^ keyword.operator.assignment.dockerfile
#                    ^^^^^ constant.other.rule-code.dockerfile
#                         ^ punctuation.separator.rule-code.dockerfile
#                          ^^^^^ constant.other.rule-code.dockerfile
FROM --platform=linux/arm64 arm64v8/alpine:3.7 AS build-arm64
# green-cloud global ignore=GC107, all
# ^^^^^^^^^^^ keyword.other.pragma.green-cloud.dockerfile
#             ^^^^^^ storage.modifier.pragma.global.dockerfile
#                    ^^^^^^ keyword.other.pragma.ignore.dockerfile
#                           ^^^^^ constant.other.rule-code.dockerfile
#                                  ^^^ constant.language.all.dockerfile
    # green-cloud ignore=GC201
#     ^^^^^^^^^^^ keyword.other.pragma.green-cloud.dockerfile
#                        ^^^^^ constant.other.rule-code.dockerfile
# platform=linux/amd64 is not the directive
# ^^^^^^^^ comment.line.number-sign.dockerfile - keyword.other.directive.platforms.dockerfile
#          ^^^^^^^^^^^ - constant.other.platform.dockerfile
# hadolint ignore=DL3029
# ^^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.dockerfile - keyword.other.pragma.green-cloud.dockerfile
# green-cloud ignores=GC101
# ^^^^^^^^^^^ comment.line.number-sign.dockerfile - keyword.other.pragma.green-cloud.dockerfile
# a comment mentioning GC101 and linux/arm64
#                      ^^^^^ - constant.other.rule-code.dockerfile
#                                ^^^^^^^^^^^ - constant.other.platform.dockerfile
RUN echo "# platforms=linux/amd64" # green-cloud ignore=GC101
#          ^^^^^^^^^^ - keyword.other.directive.platforms.dockerfile
#                                                       ^^^^^ - constant.other.rule-code.dockerfile
