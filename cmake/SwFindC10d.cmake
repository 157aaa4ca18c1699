# Data-parallel training over c10d (docs/SCALING.md): adds the matching sources to a target.
#
#   sw_add_data_parallel(<target>)
#
# - LibTorch 2.x from PyPI ships c10d's headers but not Gloo's; ProcessGroupGloo.hpp needs Gloo's types only by
#   name, which core/distributed/gloo-declarations declares (the code is libtorch_cpu's). Debian's LibTorch 1.13
#   has an older c10d: that build trains in one process (DataParallelUnavailable.cpp).
# - NCCL for GPU ranks: the CUDA wheel ships ProcessGroupNCCL.hpp, and its nvidia-* packages the NCCL and CUDA
#   runtime headers it includes (site-packages/nvidia/…, six folders above c10d's headers). Some wheels' CUDA
#   headers include crt/host_config.h without shipping it (seen with 2.11's nvidia/cu13); the CUDA toolkit has
#   it, so its include folder is tried after the wheel's. When neither compiles, the build leaves NCCL out and
#   says so (NcclUnavailable.cpp: --dist-backend nccl then says why), rather than failing.
#
# Sets SW_DATA_PARALLEL ("gloo+nccl", "gloo" or "none") in the caller's scope.

function(sw_nccl_compiles result includes)
  set(source "${CMAKE_CURRENT_BINARY_DIR}/sw_nccl_check.cpp")
  file(WRITE "${source}" "#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>\nint main() { return 0; }\n")
  # Compile only: the point is whether the headers fit together.
  set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
  try_compile(compiles "${CMAKE_CURRENT_BINARY_DIR}/sw_nccl_check" SOURCES "${source}"
              CMAKE_FLAGS "-DINCLUDE_DIRECTORIES=${includes}"
              COMPILE_DEFINITIONS -DUSE_C10D_NCCL -Wno-interference-size
              LINK_LIBRARIES torch
              OUTPUT_VARIABLE output)
  if(NOT compiles)
    string(REGEX MATCH "[^\n]*error[^\n]*" first_error "${output}")
    set(SW_NCCL_CHECK_ERROR "${first_error}" PARENT_SCOPE)
  endif()
  set(${result} ${compiles} PARENT_SCOPE)
endfunction()

function(sw_add_data_parallel target)
  set(dir "${CMAKE_CURRENT_SOURCE_DIR}/distributed")
  set(c10d_gloo_header "")
  get_target_property(torch_include_dirs torch INTERFACE_INCLUDE_DIRECTORIES)
  foreach(include ${torch_include_dirs} ${TORCH_INCLUDE_DIRS})
    if(EXISTS ${include}/torch/csrc/distributed/c10d/ProcessGroupGloo.hpp)
      set(c10d_gloo_header ${include}/torch/csrc/distributed/c10d/ProcessGroupGloo.hpp)
    endif()
  endforeach()
  if(NOT (Torch_VERSION VERSION_GREATER_EQUAL 2.0 AND c10d_gloo_header))
    target_sources(${target} PRIVATE ${dir}/DataParallelUnavailable.cpp)
    message(STATUS "Data-parallel training: not available with LibTorch ${Torch_VERSION}")
    set(SW_DATA_PARALLEL none PARENT_SCOPE)
    return()
  endif()
  target_sources(${target} PRIVATE ${dir}/DataParallel.cpp)
  set_source_files_properties(${dir}/DataParallel.cpp PROPERTIES
    COMPILE_DEFINITIONS USE_C10D_GLOO
    INCLUDE_DIRECTORIES ${dir}/gloo-declarations
    SKIP_PRECOMPILE_HEADERS ON)

  get_filename_component(c10d_dir ${c10d_gloo_header} DIRECTORY)
  get_filename_component(site_packages "${c10d_dir}/../../../../../.." ABSOLUTE)
  file(GLOB nccl_header "${site_packages}/nvidia/nccl/include/nccl.h")
  file(GLOB cuda_runtime_header "${site_packages}/nvidia/*/include/cuda_runtime_api.h" "${site_packages}/nvidia/cuda_runtime/include/cuda_runtime_api.h")
  set(nccl_includes "")
  set(why "no NCCL headers next to LibTorch")
  if(nccl_header AND cuda_runtime_header AND EXISTS ${c10d_dir}/ProcessGroupNCCL.hpp)
    list(GET nccl_header 0 nccl_header)
    list(GET cuda_runtime_header 0 cuda_runtime_header)
    get_filename_component(nccl_include ${nccl_header} DIRECTORY)
    get_filename_component(cuda_include ${cuda_runtime_header} DIRECTORY)
    # The answer is kept in the cache: the check compiles c10d's NCCL header once per build folder.
    if(NOT DEFINED SW_NCCL_INCLUDES)
      sw_nccl_compiles(wheel_only "${nccl_include};${cuda_include}")
      set(found "")
      if(wheel_only)
        set(found "${nccl_include};${cuda_include}")
      else()
        find_package(CUDAToolkit QUIET)
        set(toolkit_include "")
        if(CUDAToolkit_INCLUDE_DIRS)
          list(GET CUDAToolkit_INCLUDE_DIRS 0 toolkit_include)
        elseif(EXISTS /usr/local/cuda/include/crt/host_config.h)
          set(toolkit_include /usr/local/cuda/include)
        endif()
        if(toolkit_include)
          sw_nccl_compiles(with_toolkit "${nccl_include};${cuda_include};${toolkit_include}")
          if(with_toolkit)
            set(found "${nccl_include};${cuda_include};${toolkit_include}")
          endif()
        endif()
      endif()
      set(SW_NCCL_INCLUDES "${found}" CACHE INTERNAL "Include folders that make c10d's NCCL header compile; empty = none do")
      set(SW_NCCL_CHECK_ERROR "${SW_NCCL_CHECK_ERROR}" CACHE INTERNAL "")
    endif()
    set(nccl_includes "${SW_NCCL_INCLUDES}")
    set(why "the wheel's NCCL and CUDA headers do not compile, with or without a CUDA toolkit's: ${SW_NCCL_CHECK_ERROR}")
  endif()
  if(nccl_includes)
    target_sources(${target} PRIVATE ${dir}/NcclBackend.cpp)
    set_source_files_properties(${dir}/NcclBackend.cpp PROPERTIES
      COMPILE_DEFINITIONS USE_C10D_NCCL
      INCLUDE_DIRECTORIES "${nccl_includes}"
      COMPILE_OPTIONS -Wno-interference-size
      SKIP_PRECOMPILE_HEADERS ON)
    message(STATUS "Data-parallel training: c10d with Gloo, and NCCL for GPU ranks (${nccl_includes})")
    set(SW_DATA_PARALLEL gloo+nccl PARENT_SCOPE)
  else()
    target_sources(${target} PRIVATE ${dir}/NcclUnavailable.cpp)
    message(STATUS "Data-parallel training: c10d with Gloo (${c10d_gloo_header}); NCCL left out: ${why}")
    set(SW_DATA_PARALLEL gloo PARENT_SCOPE)
  endif()
endfunction()
