# Installing mgadvisor like any Debian program: `cmake --install` rules and a .deb from CPack.
#
#   cmake --build --preset release --target mgadvisor mg_install_files
#   cpack --config build/release/CPackConfig.cmake -G DEB -B build/package
#
# scripts/package-test.sh builds, installs, runs and removes that package.
include(GNUInstallDirs)

# `install` (and CPack, which runs it) must not build every test and benchmark of the tree
# first: the package holds the program and files made from it, which the commands above build.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

# Files made with the built program: the shell completions (from its own command tree, so they
# never drift) and the gzipped man page (Debian policy).
set(MG_GEN ${PROJECT_BINARY_DIR}/install-files)
add_custom_command(
  OUTPUT ${MG_GEN}/mgadvisor.bash ${MG_GEN}/_mgadvisor ${MG_GEN}/mgadvisor.fish
  COMMAND ${CMAKE_COMMAND} -E make_directory ${MG_GEN}
  COMMAND $<TARGET_FILE:mgadvisor> completion bash > ${MG_GEN}/mgadvisor.bash
  COMMAND $<TARGET_FILE:mgadvisor> completion zsh > ${MG_GEN}/_mgadvisor
  COMMAND $<TARGET_FILE:mgadvisor> completion fish > ${MG_GEN}/mgadvisor.fish
  DEPENDS mgadvisor
  COMMENT "Shell completions from mgadvisor's command tree"
  VERBATIM)
add_custom_command(
  OUTPUT ${MG_GEN}/mgadvisor.1.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${MG_GEN}
  COMMAND gzip -9 -n -c ${PROJECT_SOURCE_DIR}/docs/mgadvisor.1 > ${MG_GEN}/mgadvisor.1.gz
  DEPENDS ${PROJECT_SOURCE_DIR}/docs/mgadvisor.1
  COMMENT "Man page"
  VERBATIM)
add_custom_target(mg_install_files
  DEPENDS ${MG_GEN}/mgadvisor.bash ${MG_GEN}/_mgadvisor ${MG_GEN}/mgadvisor.fish
          ${MG_GEN}/mgadvisor.1.gz)

install(TARGETS mgadvisor RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# Multi-user mode's program (src/cli/postgres_program.h), run by mgadvisor, not by people.
install(TARGETS mgadvisor-postgres RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/mgadvisor)
install(FILES ${MG_GEN}/mgadvisor.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${MG_GEN}/mgadvisor.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME mgadvisor)
install(FILES ${MG_GEN}/_mgadvisor DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${MG_GEN}/mgadvisor.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
# /usr/lib/systemd/system: Debian 12's merged /usr makes it the same folder as /lib/systemd/system.
install(FILES deploy/mgadvisor.service DESTINATION lib/systemd/system)
install(FILES README.md docs/OPERATIONS.md docs/API.md deploy/nginx-mgadvisor.conf
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The Debian package. Its library dependencies are read from the binary by dpkg-shlibdeps
# (libpqxx, libjemalloc, zlib, libstdc++ at the versions it was built with; SQLite and libsodium
# are linked in from their static archives, libsqlite3-dev's and libsodium-dev's).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mgadvisor)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "mgadvisor maintainers <dev@mgadvisor.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "evidence-graded, safe guidance on magnesium for muscle, leg and nerve complaints")
set(CPACK_PACKAGE_DESCRIPTION
    "A cited knowledge base, personal plans that never exceed the supplemental upper limit, food
analysis on USDA data, a symptom journal and n-of-1 trials, from the command line or a local
or shared web server. Not a substitute for a clinician.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql, nginx")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
include(CPack)
