// Calls about the system rather than a socket: gethostname, strerror,
// gai_strerror.
#include "addon.h"

#include <netdb.h>
#include <unistd.h>

#include <climits>
#include <cstring>

namespace ps {

// gethostname() -> string or -errno.
static Napi::Value Gethostname(const Napi::CallbackInfo& info) {
  char name[256];  // POSIX HOST_NAME_MAX is at most 255 here; macOS has no HOST_NAME_MAX
  if (gethostname(name, sizeof name) == -1) return Napi::Number::New(info.Env(), -errno);
  name[sizeof name - 1] = '\0';
  return Napi::String::New(info.Env(), name);
}

// glibc with _GNU_SOURCE gives the GNU strerror_r (returns char*); macOS and
// musl give the XSI one (returns int and fills buf). Overloads pick the right
// reading of the result either way.
[[maybe_unused]] static const char* StrerrorResult(int r, const char* buf) { return r == 0 ? buf : nullptr; }
[[maybe_unused]] static const char* StrerrorResult(const char* r, const char*) { return r; }

// strerror(errno) -> the C library's message, thread-safe.
static Napi::Value Strerror(const Napi::CallbackInfo& info) {
  int err = ArgInt(info, 0, "errno");
  char buf[256] = {0};
  const char* msg = StrerrorResult(strerror_r(err, buf, sizeof buf), buf);
  if (msg == nullptr || msg[0] == '\0') {
    snprintf(buf, sizeof buf, "Unknown error %d", err);
    msg = buf;
  }
  return Napi::String::New(info.Env(), msg);
}

// gai_strerror(code) -> the resolver's message for an EAI_* code.
static Napi::Value GaiStrerror(const Napi::CallbackInfo& info) {
  int code = ArgInt(info, 0, "code");
  return Napi::String::New(info.Env(), gai_strerror(code));
}

void InitSystem(Napi::Env env, Napi::Object exports) {
  exports.Set("gethostname", Napi::Function::New(env, Gethostname, "gethostname"));
  exports.Set("strerror", Napi::Function::New(env, Strerror, "strerror"));
  exports.Set("gai_strerror", Napi::Function::New(env, GaiStrerror, "gai_strerror"));
}

}  // namespace ps
