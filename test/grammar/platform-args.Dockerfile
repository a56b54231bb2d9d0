# SYNTAX TEST "source.dockerfile" "automatic platform ARGs as $X, ${X} and after ARG"
ARG TARGETPLATFORM
# <--- keyword.other.special-method.dockerfile
#   ^^^^^^^^^^^^^^ variable.language.platform-arg.dockerfile
ARG BUILDPLATFORM TARGETOS TARGETARCH TARGETVARIANT BUILDOS BUILDARCH BUILDVARIANT
#   ^^^^^^^^^^^^^ variable.language.platform-arg.dockerfile
#                 ^^^^^^^^ variable.language.platform-arg.dockerfile
#                          ^^^^^^^^^^ variable.language.platform-arg.dockerfile
#                                     ^^^^^^^^^^^^^ variable.language.platform-arg.dockerfile
#                                                   ^^^^^^^ variable.language.platform-arg.dockerfile
#                                                           ^^^^^^^^^ variable.language.platform-arg.dockerfile
#                                                                     ^^^^^^^^^^^^ variable.language.platform-arg.dockerfile
ARG GO_VERSION=1.22 TARGETARCH=amd64 MYTARGETARCH TARGETARCH2
#   ^^^^^^^^^^ - variable.language.platform-arg.dockerfile
#                   ^^^^^^^^^^ variable.language.platform-arg.dockerfile
#                                    ^^^^^^^^^^^^ - variable.language.platform-arg.dockerfile
#                                                 ^^^^^^^^^^^ - variable.language.platform-arg.dockerfile
arg targetarch
#   ^^^^^^^^^^ - variable.language.platform-arg.dockerfile
FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS build
# <---- keyword.other.special-method.dockerfile
#               ^ punctuation.definition.variable.dockerfile
#                ^^^^^^^^^^^^^ variable.language.platform-arg.dockerfile
#                                                 ^^ keyword.other.special-method.dockerfile
FROM --platform=${TARGETPLATFORM} alpine:3.19 as final
#               ^^ punctuation.definition.variable.begin.dockerfile
#                 ^^^^^^^^^^^^^^ variable.language.platform-arg.dockerfile
#                               ^ punctuation.definition.variable.end.dockerfile
#                                             ^^ keyword.other.special-method.dockerfile
FROM --platform=${BUILDPLATFORM:-linux/amd64} debian
#                 ^^^^^^^^^^^^^ variable.language.platform-arg.dockerfile
#                                ^^^^^^^^^^^ - variable.language.platform-arg.dockerfile
RUN GOOS=$TARGETOS GOARCH=${TARGETARCH} GOARM=${TARGETVARIANT#v} go build
#        ^ punctuation.definition.variable.dockerfile
#         ^^^^^^^^ variable.language.platform-arg.dockerfile
#                           ^^^^^^^^^^ variable.language.platform-arg.dockerfile
#                                               ^^^^^^^^^^^^^ - variable.language.platform-arg.dockerfile
RUN echo "$BUILDARCH ${BUILDOS:+os} $BUILDVARIANT" > /build-arch
#          ^^^^^^^^^ string.quoted.double.dockerfile variable.language.platform-arg.dockerfile
#                      ^^^^^^^ variable.language.platform-arg.dockerfile
#                                    ^^^^^^^^^^^^ variable.language.platform-arg.dockerfile
RUN echo $TARGETARCHX $MY_TARGETARCH $targetarch ${TARGETARCH_X} $HOME
#         ^^^^^^^^^^^ - variable.language.platform-arg.dockerfile
#                      ^^^^^^^^^^^^^ - variable.language.platform-arg.dockerfile
#                                     ^^^^^^^^^^ - variable.language.platform-arg.dockerfile
#                                                  ^^^^^^^^^^^^ - variable.language.platform-arg.dockerfile
#                                                                 ^^^^ - variable.language.platform-arg.dockerfile
COPY --from=build /out/app-${TARGETOS}-${TARGETARCH} /app
#                            ^^^^^^^^ variable.language.platform-arg.dockerfile
#                                        ^^^^^^^^^^ variable.language.platform-arg.dockerfile
ENV ARCH=$TARGETARCH
#         ^^^^^^^^^^ variable.language.platform-arg.dockerfile
# ARG TARGETARCH in a comment is a comment: $TARGETARCH
#     ^^^^^^^^^^ comment.line.number-sign.dockerfile - variable.language.platform-arg.dockerfile
#                                            ^^^^^^^^^^ - variable.language.platform-arg.dockerfile
