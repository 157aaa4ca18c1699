# Finds LibTorch and defines the `torch` target the core links.
#
# Where it looks, first match wins:
#   1. SW_TORCH_DIR: a folder holding TorchConfig.cmake or a prefix above it (the official LibTorch archive,
#      a conda env's site-packages/torch/share/cmake, /usr for Debian's libtorch-dev);
#   2. CMAKE_PREFIX_PATH or Torch_DIR when the caller gave either;
#   3. the virtual environment scripts/install-deps.sh made (PyPI's torch wheel, pinned in
#      scripts/python-requirements.txt);
#   4. the system (Debian's libtorch-dev).
#
# A CPU-only LibTorch (Debian's) comes through its own TorchConfig.cmake; a CUDA-built one is imported
# directly (see below).
#
# Sets SW_TORCH_PYTHON to the Python interpreter that carries the same torch (for the test fixtures and the
# benchmark peers: same ATen on both sides), or Debian's /usr/bin/python3 for a system LibTorch.

set(SW_TORCH_DIR "" CACHE PATH "LibTorch to build against (a prefix or the folder of TorchConfig.cmake); empty = the venv of scripts/install-deps.sh, else the system")

function(sw_venv_python out)
  execute_process(COMMAND "${PROJECT_SOURCE_DIR}/scripts/install-deps.sh" --print-venv
                  OUTPUT_VARIABLE venv OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE failed)
  if(NOT failed AND EXISTS "${venv}/.installed" AND EXISTS "${venv}/bin/python")
    set(${out} "${venv}/bin/python" PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

set(SW_TORCH_PYTHON "" CACHE FILEPATH "Python whose torch matches the LibTorch built against (test fixtures, benchmark peers); empty = found with LibTorch")
set(_sw_torch_hint "")
set(_sw_found_python "")
if(SW_TORCH_DIR)
  set(_sw_torch_hint "${SW_TORCH_DIR}")
elseif(Torch_DIR)
  set(_sw_torch_hint "${Torch_DIR}")  # given by the caller, or found by an earlier configure
elseif(NOT CMAKE_PREFIX_PATH)
  sw_venv_python(_sw_venv_python)
  if(_sw_venv_python)
    execute_process(COMMAND "${_sw_venv_python}" -c "import torch.utils; print(torch.utils.cmake_prefix_path)"
                    OUTPUT_VARIABLE _sw_torch_hint OUTPUT_STRIP_TRAILING_WHITESPACE)
    set(_sw_found_python "${_sw_venv_python}")
  else()
    message(STATUS "LibTorch: no venv from scripts/install-deps.sh; looking for a system LibTorch")
  endif()
endif()

# The folder holding TorchConfig.cmake, when a hint names one.
set(_sw_torch_config_dir "")
if(_sw_torch_hint)
  foreach(candidate "${_sw_torch_hint}" "${_sw_torch_hint}/Torch" "${_sw_torch_hint}/share/cmake/Torch"
                    "${_sw_torch_hint}/lib/cmake/Torch" "${_sw_torch_hint}/lib/${CMAKE_LIBRARY_ARCHITECTURE}/cmake/Torch")
    if(EXISTS "${candidate}/TorchConfig.cmake")
      set(_sw_torch_config_dir "${candidate}")
      break()
    endif()
  endforeach()
  if(NOT _sw_torch_config_dir)
    message(FATAL_ERROR "LibTorch: no TorchConfig.cmake under ${_sw_torch_hint}")
  endif()
  get_filename_component(_sw_torch_config_dir "${_sw_torch_config_dir}" ABSOLUTE)
  set(Torch_DIR "${_sw_torch_config_dir}" CACHE PATH "Folder of TorchConfig.cmake" FORCE)
  # TorchConfig.cmake looks for Caffe2's config and its libraries on the system paths before its own folder,
  # so with Debian's libtorch-dev installed it would mix the two: its own folders must come first.
  set(Caffe2_DIR "${_sw_torch_config_dir}/../Caffe2" CACHE PATH "Folder of Caffe2Config.cmake" FORCE)
  # The wheel's and the official archive's layout: PREFIX/share/cmake/Torch and PREFIX/lib.
  get_filename_component(_sw_torch_prefix "${_sw_torch_config_dir}/../../.." ABSOLUTE)
  if(EXISTS "${_sw_torch_prefix}/lib/libtorch.so")
    list(PREPEND CMAKE_PREFIX_PATH "${_sw_torch_prefix}")
  endif()
endif()

# A CUDA-built LibTorch (the wheel, the official CUDA archive) is imported from its own files rather than
# through TorchConfig.cmake, for two reasons: that config refuses to configure without a CUDA toolkit, although
# nothing here compiles CUDA code; and with a toolkit it links the toolkit's CUDA runtime and NCCL, which may be
# older than those the wheel was built with (toolkit 13.0 here, wheel 13.2), so linking or loading fails. The
# wheel's libraries find their own CUDA libraries through their RUNPATH; linking libtorch_cuda.so keeps the CUDA
# kernels registered, so the same binary computes on a GPU wherever one is present at run time.
if(_sw_torch_config_dir AND EXISTS "${_sw_torch_prefix}/lib/libtorch_cuda.so")
  message(STATUS "LibTorch: CUDA-built; importing ${_sw_torch_prefix}/lib directly")
  add_library(torch INTERFACE IMPORTED)
  set(_sw_torch_libs "")
  foreach(name torch torch_cpu c10 torch_cuda c10_cuda)
    set(_sw_lib "${_sw_torch_prefix}/lib/lib${name}.so")
    if(NOT EXISTS "${_sw_lib}")
      message(FATAL_ERROR "LibTorch: ${_sw_lib} is missing")
    endif()
    list(APPEND _sw_torch_libs "${_sw_lib}")
  endforeach()
  # The CUDA libraries of the wheel's nvidia-* packages, for the linker to resolve libtorch_cuda.so's needs
  # (at run time its RUNPATH finds them).
  file(GLOB _sw_cuda_lib_dirs LIST_DIRECTORIES true "${_sw_torch_prefix}/../nvidia/*/lib" "${_sw_torch_prefix}/../nvidia/cu*/lib")
  set(_sw_link_options "-Wl,-rpath,${_sw_torch_prefix}/lib")
  foreach(dir ${_sw_cuda_lib_dirs})
    list(APPEND _sw_link_options "-Wl,-rpath-link,${dir}")
  endforeach()
  # The compile definitions PyTorch's targets export (USE_DISTRIBUTED, USE_C10D_GLOO, …), read from its own file.
  file(STRINGS "${_sw_torch_config_dir}/../Caffe2/Caffe2Targets.cmake" _sw_definition_lines
       REGEX "INTERFACE_COMPILE_DEFINITIONS \"[A-Za-z0-9_;]+\"")
  set(_sw_torch_definitions "")
  foreach(line ${_sw_definition_lines})
    string(REGEX MATCH "\"([A-Za-z0-9_;]+)\"" _ "${line}")
    list(APPEND _sw_torch_definitions ${CMAKE_MATCH_1})
  endforeach()
  list(REMOVE_DUPLICATES _sw_torch_definitions)
  set_target_properties(torch PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${_sw_torch_prefix}/include;${_sw_torch_prefix}/include/torch/csrc/api/include"
    INTERFACE_COMPILE_DEFINITIONS "${_sw_torch_definitions}"
    INTERFACE_LINK_LIBRARIES "-Wl,--no-as-needed;${_sw_torch_libs};-Wl,--as-needed"
    INTERFACE_LINK_OPTIONS "${_sw_link_options}")
  file(STRINGS "${_sw_torch_config_dir}/TorchConfigVersion.cmake" _sw_torch_version_line
       REGEX "set\\(PACKAGE_VERSION \"")
  string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" Torch_VERSION "${_sw_torch_version_line}")
  # Mirror what PyTorch's own config asks of its users: recent 2.x releases need C++20 (the project's code
  # stays C++17-clean, for Debian's 1.13).
  file(READ "${_sw_torch_config_dir}/TorchConfig.cmake" _sw_torch_config_text)
  if(_sw_torch_config_text MATCHES "cxx_std_20")
    target_compile_features(torch INTERFACE cxx_std_20)
  endif()
  set(TORCH_LIBRARIES torch)
else()
  find_package(Torch REQUIRED)
endif()

if(NOT SW_TORCH_PYTHON)
  if(_sw_found_python)
    set(SW_TORCH_PYTHON "${_sw_found_python}" CACHE FILEPATH "" FORCE)
  else()
    # Debian's python3-torch matches Debian's libtorch-dev; the first python3 on PATH may be another one.
    set(SW_TORCH_PYTHON /usr/bin/python3 CACHE FILEPATH "" FORCE)
  endif()
endif()
message(STATUS "LibTorch ${Torch_VERSION} from ${Torch_DIR}; Python references: ${SW_TORCH_PYTHON}")
