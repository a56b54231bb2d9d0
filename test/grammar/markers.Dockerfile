# SYNTAX TEST "source.dockerfile" "cross-build markers and qemu-*-static binaries"
FROM resin/armv7hf-debian
RUN [ "cross-build-start" ]
#      ^^^^^^^^^^^^^^^^^ string.quoted.double.dockerfile support.function.cross-build-marker.dockerfile
#     ^ - support.function.cross-build-marker.dockerfile
#                       ^ - support.function.cross-build-marker.dockerfile
RUN ["cross-build-end"]
#     ^^^^^^^^^^^^^^^ support.function.cross-build-marker.dockerfile
RUN cross-build-start
#   ^^^^^^^^^^^^^^^^^ support.function.cross-build-marker.dockerfile
RUN /usr/bin/cross-build-end
#            ^^^^^^^^^^^^^^^ support.function.cross-build-marker.dockerfile
run [ "cross-build-start" ]
#      ^^^^^^^^^^^^^^^^^ support.function.cross-build-marker.dockerfile
RUN echo cross-build-starter my-cross-build-end cross-build-start.sh cross-build-middle
#        ^^^^^^^^^^^^^^^^^^^ - support.function.cross-build-marker.dockerfile
#                            ^^^^^^^^^^^^^^^^^^ - support.function.cross-build-marker.dockerfile
#                                               ^^^^^^^^^^^^^^^^^^^^ - support.function.cross-build-marker.dockerfile
#                                                                    ^^^^^^^^^^^^^^^^^^ - support.function.cross-build-marker.dockerfile
RUN [ "/usr/bin/qemu-arm-static", "apt-get", "update" ]
#      ^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.double.dockerfile support.function.qemu-static.dockerfile
#                                  ^^^^^^^ - support.function.qemu-static.dockerfile
RUN ["qemu-aarch64-static", "/bin/sh", "-c", "uname -m"]
#     ^^^^^^^^^^^^^^^^^^^ support.function.qemu-static.dockerfile
COPY qemu-x86_64-static /usr/bin/
#    ^^^^^^^^^^^^^^^^^^ support.function.qemu-static.dockerfile
COPY /usr/local/bin/qemu-riscv64-static /usr/local/bin/
#    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ support.function.qemu-static.dockerfile
RUN apt-get install -y qemu-user-static qemu-arm qemu-arm-static.deb
#                      ^^^^^^^^^^^^^^^^ - support.function.qemu-static.dockerfile
#                                       ^^^^^^^^ - support.function.qemu-static.dockerfile
#                                                ^^^^^^^^^^^^^^^^^^^ - support.function.qemu-static.dockerfile
# a comment about cross-build-start and qemu-arm-static stays a comment
# <---------------------------------------------------------------------- comment.line.number-sign.dockerfile
#                 ^^^^^^^^^^^^^^^^^ - support.function.cross-build-marker.dockerfile
#                                       ^^^^^^^^^^^^^^^ - support.function.qemu-static.dockerfile
