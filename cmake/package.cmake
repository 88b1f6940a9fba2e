# `cpack -G DEB` in the build folder: imprenta_<version>_<arch>.deb with the binary, the man page and
# the shell completions (the install() rules). Debian dependencies: the shared libraries the binary
# links, found by dpkg-shlibdeps; plus what it opens or reads at run time, which dpkg-shlibdeps
# cannot see: librsvg (dlopen'ed for SVG images and the drawn cover), the default book faces,
# and (recommended) the fallback fonts for other scripts and the hyphenation dictionaries.
set(CPACK_PACKAGE_NAME imprenta)
set(CPACK_PACKAGE_VENDOR "imprenta")
set(CPACK_PACKAGE_CONTACT "imprenta maintainers <imprenta@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "build an EPUB 3 and a typeset PDF from a folder of Markdown essays or a Hugo site")
set(CPACK_PACKAGE_DESCRIPTION
    "imprenta turns a folder of Markdown essays, or a Hugo site, into an EPUB 3 that passes\n"
    "epubcheck and a PDF typeset with hyphenation and Knuth-Plass line breaking, in one run.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION text)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "librsvg2-2, fonts-texgyre, fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
    "fonts-liberation2, fonts-dejavu-extra, fonts-noto-core, fonts-noto-cjk, fonts-noto-color-emoji, hyphen-en-us, hyphen-es")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS
    "hyphen-fr, hyphen-de, hyphen-it, hyphen-pt-br, hyphen-pt-pt, hyphen-ca, epubcheck, qpdf, poppler-utils")
set(CPACK_GENERATOR DEB)
include(CPack)
