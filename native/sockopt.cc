// What the typed socket options (lib/sockopt.ts) need from C: the layout of
// each option struct as this platform's headers declare it, and setsockopt
// for the one kind of option value that carries a pointer (a classic BPF
// program), which JavaScript cannot build.
//
// A layout is { size, field: [offset, size, signed, shift?, width?], ... };
// shift and width are given for bit-fields only. lib/sockopt.ts reads and
// writes the bytes with them, so no struct is written down twice.
#include "addon.h"

#include <netinet/in.h>
#include <sys/time.h>
#include <sys/un.h>

#include <climits>
#include <cstring>
#include <type_traits>
#include <utility>

#ifdef __linux__
// The kernel's own struct tcp_info, which has every field this kernel
// fills; glibc's copy in <netinet/tcp.h> stops at tcpi_total_retrans. This
// file includes no <netinet/tcp.h>, so the two never meet.
#include <linux/filter.h>  // struct sock_filter / sock_fprog: socket filters are Linux only
#include <linux/tcp.h>
#endif
#ifdef __APPLE__
#include <sys/ucred.h>  // struct xucred, LOCAL_PEERCRED's value (macOS)
#endif

namespace ps {

namespace {

// One layout object being filled in.
struct Layout {
  Napi::Env env;
  Napi::Object obj;
  Layout(Napi::Env e, size_t size) : env(e), obj(Napi::Object::New(e)) {
    obj.Set("size", Napi::Number::New(e, static_cast<double>(size)));
  }
  void Field(const char* name, size_t offset, size_t size, bool is_signed) {
    Napi::Array f = Napi::Array::New(env, 3);
    f.Set(0u, Napi::Number::New(env, static_cast<double>(offset)));
    f.Set(1u, Napi::Number::New(env, static_cast<double>(size)));
    f.Set(2u, Napi::Number::New(env, is_signed ? 1 : 0));
    obj.Set(name, f);
  }
  // A bit-field has no offsetof: set it to all ones in a zeroed struct and
  // see which byte and bits changed. Bit order within a byte is the ABI's
  // (low bits first on the little-endian ABIs), so it is found, not assumed.
  template <typename T, typename Set>
  void BitField(const char* name, Set set) {
    T t;
    memset(&t, 0, sizeof t);
    set(t);
    const auto* bytes = reinterpret_cast<const unsigned char*>(&t);
    for (size_t i = 0; i < sizeof t; i++) {
      unsigned b = bytes[i];
      if (b == 0) continue;
      int shift = 0, width = 0;
      while (((b >> shift) & 1) == 0) shift++;
      while (((b >> (shift + width)) & 1) == 1) width++;
      Napi::Array f = Napi::Array::New(env, 5);
      f.Set(0u, Napi::Number::New(env, static_cast<double>(i)));
      f.Set(1u, Napi::Number::New(env, 1));
      f.Set(2u, Napi::Number::New(env, 0));
      f.Set(3u, Napi::Number::New(env, shift));
      f.Set(4u, Napi::Number::New(env, width));
      obj.Set(name, f);
      return;
    }
  }
};

}  // namespace

#define PS_FIELD(layout, T, f)                                   \
  (layout).Field(#f, offsetof(T, f), sizeof(std::declval<T&>().f), \
                 std::is_signed<std::remove_reference_t<decltype(std::declval<T&>().f)>>::value)
// A bit-field set to all ones: assigning 0 and then subtracting 1 wraps an
// unsigned field of any width without a narrowing warning.
#define PS_BITFIELD(layout, T, f) \
  (layout).BitField<T>(#f, [](T& t) { t.f = 0; t.f = t.f - 1; })

static Napi::Object Layouts(Napi::Env env) {
  Napi::Object out = Napi::Object::New(env);

  Layout linger_(env, sizeof(struct linger));
  PS_FIELD(linger_, struct linger, l_onoff);
  PS_FIELD(linger_, struct linger, l_linger);
  out.Set("linger", linger_.obj);

  // time_t and suseconds_t: 8 and 8 bytes on 64-bit Linux; macOS's
  // suseconds_t is 4 bytes, followed by padding.
  Layout timeval_(env, sizeof(struct timeval));
  PS_FIELD(timeval_, struct timeval, tv_sec);
  PS_FIELD(timeval_, struct timeval, tv_usec);
  out.Set("timeval", timeval_.obj);

  Layout in_addr_(env, sizeof(struct in_addr));
  out.Set("in_addr", in_addr_.obj);

  Layout ip_mreq_(env, sizeof(struct ip_mreq));
  PS_FIELD(ip_mreq_, struct ip_mreq, imr_multiaddr);
  PS_FIELD(ip_mreq_, struct ip_mreq, imr_interface);
  out.Set("ip_mreq", ip_mreq_.obj);

#ifdef __linux__
  // Linux's IP_ADD_MEMBERSHIP also takes the interface by index. macOS
  // declares struct ip_mreqn but its IP_ADD_MEMBERSHIP copies in an ip_mreq
  // only, so the layout is offered where it works.
  Layout ip_mreqn_(env, sizeof(struct ip_mreqn));
  PS_FIELD(ip_mreqn_, struct ip_mreqn, imr_multiaddr);
  PS_FIELD(ip_mreqn_, struct ip_mreqn, imr_address);
  PS_FIELD(ip_mreqn_, struct ip_mreqn, imr_ifindex);
  out.Set("ip_mreqn", ip_mreqn_.obj);
#endif

  Layout ipv6_mreq_(env, sizeof(struct ipv6_mreq));
  PS_FIELD(ipv6_mreq_, struct ipv6_mreq, ipv6mr_multiaddr);
  PS_FIELD(ipv6_mreq_, struct ipv6_mreq, ipv6mr_interface);
  out.Set("ipv6_mreq", ipv6_mreq_.obj);

#ifdef MCAST_JOIN_GROUP
  // RFC 3678. macOS packs these to 4 bytes (#pragma pack(4)), so gr_group
  // sits at offset 4 there and at 8 on Linux.
  Layout group_req_(env, sizeof(struct group_req));
  PS_FIELD(group_req_, struct group_req, gr_interface);
  PS_FIELD(group_req_, struct group_req, gr_group);
  out.Set("group_req", group_req_.obj);
  Layout group_source_req_(env, sizeof(struct group_source_req));
  PS_FIELD(group_source_req_, struct group_source_req, gsr_interface);
  PS_FIELD(group_source_req_, struct group_source_req, gsr_group);
  PS_FIELD(group_source_req_, struct group_source_req, gsr_source);
  out.Set("group_source_req", group_source_req_.obj);
#endif

#ifdef SO_PEERCRED
  Layout ucred_(env, sizeof(struct ucred));  // Linux
  PS_FIELD(ucred_, struct ucred, pid);
  PS_FIELD(ucred_, struct ucred, uid);
  PS_FIELD(ucred_, struct ucred, gid);
  out.Set("ucred", ucred_.obj);
#endif

#ifdef LOCAL_PEERCRED
  Layout xucred_(env, sizeof(struct xucred));  // macOS (and the BSDs)
  PS_FIELD(xucred_, struct xucred, cr_version);
  PS_FIELD(xucred_, struct xucred, cr_uid);
  PS_FIELD(xucred_, struct xucred, cr_ngroups);
  PS_FIELD(xucred_, struct xucred, cr_groups);  // the whole array; gid_t each
  out.Set("xucred", xucred_.obj);
#endif

#ifdef __linux__
  Layout sock_filter_(env, sizeof(struct sock_filter));
  PS_FIELD(sock_filter_, struct sock_filter, code);
  PS_FIELD(sock_filter_, struct sock_filter, jt);
  PS_FIELD(sock_filter_, struct sock_filter, jf);
  PS_FIELD(sock_filter_, struct sock_filter, k);
  out.Set("sock_filter", sock_filter_.obj);
  Layout sock_fprog_(env, sizeof(struct sock_fprog));
  out.Set("sock_fprog", sock_fprog_.obj);

  // struct tcp_info as <linux/tcp.h> declares it; fields are named as in C
  // and lib/sockopt.ts renames them (tcpi_snd_cwnd -> sndCwnd).
  Layout t(env, sizeof(struct tcp_info));
#define PS_TCPI(f) PS_FIELD(t, struct tcp_info, tcpi_##f)
#define PS_TCPI_BITS(f) PS_BITFIELD(t, struct tcp_info, tcpi_##f)
  PS_TCPI(state);
  PS_TCPI(ca_state);
  PS_TCPI(retransmits);
  PS_TCPI(probes);
  PS_TCPI(backoff);
  PS_TCPI(options);
  PS_TCPI_BITS(snd_wscale);
  PS_TCPI_BITS(rcv_wscale);
  PS_TCPI_BITS(delivery_rate_app_limited);
  PS_TCPI_BITS(fastopen_client_fail);
  PS_TCPI(rto);
  PS_TCPI(ato);
  PS_TCPI(snd_mss);
  PS_TCPI(rcv_mss);
  PS_TCPI(unacked);
  PS_TCPI(sacked);
  PS_TCPI(lost);
  PS_TCPI(retrans);
  PS_TCPI(fackets);
  PS_TCPI(last_data_sent);
  PS_TCPI(last_ack_sent);
  PS_TCPI(last_data_recv);
  PS_TCPI(last_ack_recv);
  PS_TCPI(pmtu);
  PS_TCPI(rcv_ssthresh);
  PS_TCPI(rtt);
  PS_TCPI(rttvar);
  PS_TCPI(snd_ssthresh);
  PS_TCPI(snd_cwnd);
  PS_TCPI(advmss);
  PS_TCPI(reordering);
  PS_TCPI(rcv_rtt);
  PS_TCPI(rcv_space);
  PS_TCPI(total_retrans);
  PS_TCPI(pacing_rate);
  PS_TCPI(max_pacing_rate);
  PS_TCPI(bytes_acked);
  PS_TCPI(bytes_received);
  PS_TCPI(segs_out);
  PS_TCPI(segs_in);
  PS_TCPI(notsent_bytes);
  PS_TCPI(min_rtt);
  PS_TCPI(data_segs_in);
  PS_TCPI(data_segs_out);
  PS_TCPI(delivery_rate);
  PS_TCPI(busy_time);
  PS_TCPI(rwnd_limited);
  PS_TCPI(sndbuf_limited);
  PS_TCPI(delivered);
  PS_TCPI(delivered_ce);
  PS_TCPI(bytes_sent);
  PS_TCPI(bytes_retrans);
  PS_TCPI(dsack_dups);
  PS_TCPI(reord_seen);
  PS_TCPI(rcv_ooopack);
  PS_TCPI(snd_wnd);
#undef PS_TCPI
#undef PS_TCPI_BITS
  out.Set("tcp_info", t.obj);
#endif
  return out;
}

#ifdef __linux__
// setsockoptFprog(fd, level, name, program: bytes of struct sock_filter[])
// -> 0 or -errno. SO_ATTACH_FILTER and SO_ATTACH_REUSEPORT_CBPF take a
// struct sock_fprog { len, filter* }: the pointer is made here, to a copy of
// the instructions (aligned, and out of reach of the caller's buffer).
static Napi::Value SetsockoptFprog(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = ArgFd(info, 0);
  int level = ArgInt(info, 1, "level");
  int name = ArgInt(info, 2, "name");
  Bytes program = ArgBytes(info, 3, "program");
  if (program.length % sizeof(struct sock_filter) != 0) {
    ThrowRange(env, "program must be a whole number of %zu-byte instructions", sizeof(struct sock_filter));
  }
  size_t count = program.length / sizeof(struct sock_filter);
  if (count > USHRT_MAX) {  // sock_fprog.len is an unsigned short
    ThrowRange(env, "program must have at most %d instructions", USHRT_MAX);
  }
  std::vector<struct sock_filter> insns(count);
  if (count > 0) memcpy(insns.data(), program.data, program.length);
  struct sock_fprog fprog;
  fprog.len = static_cast<unsigned short>(count);
  fprog.filter = insns.data();
  int r = setsockopt(fd, level, name, &fprog, sizeof fprog);
  return Napi::Number::New(env, Result(r));
}
#endif

void InitSockopt(Napi::Env env, Napi::Object exports) {
  exports.Set("sockoptLayouts", Layouts(env));
#ifdef __linux__
  exports.Set("setsockoptFprog", Napi::Function::New(env, SetsockoptFprog, "setsockoptFprog"));
#endif
}

}  // namespace ps
