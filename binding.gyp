{
  "targets": [
    {
      "target_name": "posix_sockets",
      "sources": [
        "native/addon.cc",
        "native/args.cc",
        "native/fd.cc",
        "native/calls.cc",
        "native/sockopt.cc",
        "native/io.cc",
        "native/sendfile.cc",
        "native/msg.cc",
        "native/poll.cc",
        "native/sockaddr.cc",
        "native/constants.cc",
        "native/system.cc",
        "native/watcher.cc",
        "native/resolver.cc",
        "native/netdb.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "_GNU_SOURCE"],
      "cflags": ["-Wall", "-Wextra", "-fvisibility=hidden"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-Wall", "-Wextra", "-fvisibility=hidden"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "GCC_SYMBOLS_PRIVATE_EXTERN": "YES",
        "MACOSX_DEPLOYMENT_TARGET": "10.15",
        "WARNING_CFLAGS": ["-Wall", "-Wextra"]
      },
      "conditions": [
        ["OS=='linux' and '<!(echo ${POSIX_SOCKETS_SANITIZE:-})'!=''", {
          "cflags": ["-fsanitize=address,undefined", "-fno-omit-frame-pointer"],
          "cflags_cc": ["-fsanitize=address,undefined", "-fno-omit-frame-pointer"],
          "ldflags": ["-fsanitize=address,undefined"]
        }]
      ]
    }
  ]
}
