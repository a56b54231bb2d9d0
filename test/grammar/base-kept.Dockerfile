# SYNTAX TEST "source.dockerfile" "the base Dockerfile grammar still applies around the injection"
# syntax=docker/dockerfile:1
# <------------------------- comment.line.number-sign.dockerfile
FROM golang:1.22 AS build
# <---- keyword.other.special-method.dockerfile
#                ^^ keyword.other.special-method.dockerfile
FROM alpine
# <---- keyword.other.special-method.dockerfile
RUN echo "hello \"world\"" 'single'
# <--- keyword.other.special-method.dockerfile
#        ^^^^^^^ string.quoted.double.dockerfile
#               ^^ constant.character.escaped.dockerfile
#                          ^^^^^^^^ string.quoted.single.dockerfile
ARG VERSION="1.0"
# <--- keyword.other.special-method.dockerfile
#           ^^^^^ string.quoted.double.dockerfile
ARG TARGETARCH="amd64"
#   ^^^^^^^^^^ variable.language.platform-arg.dockerfile
#              ^^^^^^^ string.quoted.double.dockerfile
FROM "quoted-${TARGETARCH}" AS x
#    ^^^^^^^^^^^^^^^^^^^^^^ string.quoted.double.dockerfile
#              ^^^^^^^^^^ variable.language.platform-arg.dockerfile
CMD ["/app", "--arch", "$TARGETARCH"]
# <--- keyword.other.special-method.dockerfile
#    ^^^^^^ string.quoted.double.dockerfile
#                        ^^^^^^^^^^ variable.language.platform-arg.dockerfile
ONBUILD RUN make
# <------- keyword.control.dockerfile
#       ^^^ keyword.other.special-method.dockerfile
