// Argument readers shared by every native call. They are the last line of
// defence: lib/ validates first and gives the friendlier message, but the raw
// binding must not crash or truncate whatever it is handed.
#include "addon.h"
#include "sockaddr.h"

#include <climits>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>

namespace ps {

static std::string Format(const char* fmt, va_list ap) {
  char buf[256];
  vsnprintf(buf, sizeof buf, fmt, ap);
  return buf;
}

void ThrowType(Napi::Env env, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string msg = Format(fmt, ap);
  va_end(ap);
  throw Napi::TypeError::New(env, msg);
}

void ThrowRange(Napi::Env env, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string msg = Format(fmt, ap);
  va_end(ap);
  throw Napi::RangeError::New(env, msg);
}

static double NumberOf(Napi::Env env, napi_value v, const char* name) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) ThrowType(env, "%s must be a number", name);
  if (!std::isfinite(d) || std::trunc(d) != d) ThrowRange(env, "%s must be an integer", name);
  return d;
}

static double ArgNumber(const Napi::CallbackInfo& info, size_t i, const char* name) {
  return NumberOf(info.Env(), info[i], name);
}

int IntOf(Napi::Env env, Napi::Value value, const char* name) {
  double d = NumberOf(env, value, name);
  if (d < INT_MIN || d > INT_MAX) ThrowRange(env, "%s must be a 32-bit integer", name);
  return static_cast<int>(d);
}

int ArgInt(const Napi::CallbackInfo& info, size_t i, const char* name) {
  double d = ArgNumber(info, i, name);
  if (d < INT_MIN || d > INT_MAX)
    ThrowRange(info.Env(), "%s must be a 32-bit integer", name);
  return static_cast<int>(d);
}

int ArgFd(const Napi::CallbackInfo& info, size_t i) {
  double d = ArgNumber(info, i, "fd");
  if (d < 0 || d > INT_MAX)
    ThrowRange(info.Env(), "fd must be a non-negative 32-bit integer");
  return static_cast<int>(d);
}

Bytes ArgBytes(const Napi::CallbackInfo& info, size_t i, const char* name) { return BytesOf(info.Env(), info[i], name); }

Bytes BytesOf(Napi::Env e, Napi::Value value, const char* name) {
  napi_env env = e;
  napi_value v = value;
  bool is;
  void* data = nullptr;
  size_t length = 0;
  napi_value arraybuffer = nullptr;
  if (napi_is_typedarray(env, v, &is) == napi_ok && is) {
    napi_typedarray_type type;
    size_t count;
    // `data` is already adjusted by the view's byteOffset.
    if (napi_get_typedarray_info(env, v, &type, &count, &data, &arraybuffer, nullptr) != napi_ok)
      ThrowType(e, "%s could not be read", name);
    static const size_t kSize[] = {1, 1, 1, 2, 2, 4, 4, 4, 8, 8, 8};
    length = count * (static_cast<size_t>(type) < sizeof kSize / sizeof kSize[0] ? kSize[type] : 1);
  } else if (napi_is_dataview(env, v, &is) == napi_ok && is) {
    if (napi_get_dataview_info(env, v, &length, &data, &arraybuffer, nullptr) != napi_ok)
      ThrowType(e, "%s could not be read", name);
  } else if (napi_is_arraybuffer(env, v, &is) == napi_ok && is) {
    arraybuffer = v;
    if (napi_get_arraybuffer_info(env, v, &data, &length) != napi_ok)
      ThrowType(e, "%s could not be read", name);
  } else {
    ThrowType(e, "%s must be a Buffer, TypedArray, DataView or ArrayBuffer", name);
  }
  if (data == nullptr) {
    // A buffer transferred (detached) while a call waited reports no data
    // and length 0: reading into it would consume a datagram into nothing,
    // or look like EOF. Refuse it before the kernel is called.
    bool detached = false;
    if (arraybuffer != nullptr && napi_is_detached_arraybuffer(env, arraybuffer, &detached) == napi_ok && detached)
      ThrowType(e, "%s is detached (its ArrayBuffer was transferred)", name);
    length = 0;
  }
  return Bytes{static_cast<uint8_t*>(data), length};
}

Napi::Object ArgObject(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (!info[i].IsObject()) ThrowType(info.Env(), "%s must be an object", name);
  return info[i].As<Napi::Object>();
}

uint32_t ArgUint32(const Napi::CallbackInfo& info, size_t i, const char* name) {
  double d = ArgNumber(info, i, name);
  if (d < 0 || d > UINT32_MAX) ThrowRange(info.Env(), "%s must be an integer from 0 to 4294967295", name);
  return static_cast<uint32_t>(d);
}

std::string ArgString(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (!info[i].IsString()) ThrowType(info.Env(), "%s must be a string", name);
  return info[i].As<Napi::String>().Utf8Value();
}

bool ArgOptionalString(const Napi::CallbackInfo& info, size_t i, const char* name, std::string* out) {
  if (info[i].IsNull() || info[i].IsUndefined()) return false;
  if (!info[i].IsString()) ThrowType(info.Env(), "%s must be a string or null", name);
  *out = info[i].As<Napi::String>().Utf8Value();
  // C would stop at an embedded NUL and look up a different name.
  if (out->size() != strlen(out->c_str())) ThrowType(info.Env(), "%s contains a NUL byte", name);
  return true;
}

socklen_t ArgSockaddr(const Napi::CallbackInfo& info, size_t i, sockaddr_storage* ss) {
  return ToSockaddr(info.Env(), info[i], ss);
}

bool ArgOptionalObject(const Napi::CallbackInfo& info, size_t i, Napi::Object* out) {
  if (info.Length() <= i || !info[i].IsObject()) return false;
  *out = info[i].As<Napi::Object>();
  return true;
}

int ArgOptionalInt(const Napi::CallbackInfo& info, size_t i, const char* name, int fallback) {
  if (info.Length() <= i || info[i].IsUndefined()) return fallback;
  return ArgInt(info, i, name);
}

Napi::Function ArgFunction(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (!info[i].IsFunction()) ThrowType(info.Env(), "%s must be a function", name);
  return info[i].As<Napi::Function>();
}

}  // namespace ps
