# One sanitizer for the whole build: the variants, the runner and the tests share
# threads and lifetimes, so they must all be instrumented together.
if(HAKIT_SANITIZER STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
elseif(HAKIT_SANITIZER STREQUAL "thread")
  # -Wno-tsan: GCC 12 warns that TSan ignores the atomic_thread_fence inside Asio;
  # Asio's own locking is what TSan sees, so the warning tells us nothing.
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer -Wno-tsan)
  add_link_options(-fsanitize=thread)
elseif(NOT HAKIT_SANITIZER STREQUAL "")
  message(FATAL_ERROR "HAKIT_SANITIZER must be empty, 'address' or 'thread', not '${HAKIT_SANITIZER}'")
endif()
