# Installs the programs, the census and leakcheck libraries with their headers,
# and a CMake package so another project can `find_package(hakit)` and link
# hakit::leakcheck or call hakit_add_leak_regression().
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(HAKIT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/hakit"
  CACHE STRING "Where the hakit CMake package is installed, relative to the prefix")

# The programs are written alongside this file; install those that exist.
foreach(_hakit_program IN ITEMS hakit ha-master-buggy ha-master-fixed ha-slave-buggy ha-slave-fixed)
  if(TARGET ${_hakit_program})
    install(TARGETS ${_hakit_program} EXPORT hakitTargets
      RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
  endif()
endforeach()

install(TARGETS hakit_census hakit_leakcheck EXPORT hakitTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development)
install(DIRECTORY
    ${PROJECT_SOURCE_DIR}/census/include/
    ${PROJECT_SOURCE_DIR}/leakcheck/include/
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development
  FILES_MATCHING PATTERN "*.hpp")

install(EXPORT hakitTargets NAMESPACE hakit::
  DESTINATION ${HAKIT_INSTALL_CMAKEDIR} COMPONENT development)

set(_hakit_config_in "${CMAKE_CURRENT_BINARY_DIR}/hakitConfig.cmake.in")
file(WRITE "${_hakit_config_in}" [=[
@PACKAGE_INIT@

# hakit: hakit::census, hakit::leakcheck (its Boost.Test fixture needs
# Boost::unit_test_framework, found here), the programs as hakit::hakit,
# hakit::ha-master-buggy, ... and hakit_add_leak_regression().
include(CMakeFindDependencyMacro)
find_dependency(Threads)
find_dependency(Boost 1.74 COMPONENTS unit_test_framework)

include("${CMAKE_CURRENT_LIST_DIR}/hakitTargets.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/HakitLeakRegression.cmake")

check_required_components(hakit)
]=])
configure_package_config_file("${_hakit_config_in}"
  "${CMAKE_CURRENT_BINARY_DIR}/hakitConfig.cmake"
  INSTALL_DESTINATION ${HAKIT_INSTALL_CMAKEDIR})
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/hakitConfigVersion.cmake"
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES
    "${CMAKE_CURRENT_BINARY_DIR}/hakitConfig.cmake"
    "${CMAKE_CURRENT_BINARY_DIR}/hakitConfigVersion.cmake"
    "${PROJECT_SOURCE_DIR}/cmake/HakitLeakRegression.cmake"
  DESTINATION ${HAKIT_INSTALL_CMAKEDIR} COMPONENT development)
