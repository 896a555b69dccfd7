// The platform's socket constants, with the values its own headers give
// (native/constants.cc reads them at build time; nothing here is hard-coded
// but the type of the address families, which Sockaddr narrows on).
//
// Names POSIX defines (or Linux and macOS both do) are typed number; the
// others are number | undefined: undefined where the platform lacks them.
// The names, and which are which, are listed once in native/constants.txt;
// the exports between the GENERATED lines are written from it by
// `npm run gen:constants`. The rest of this file is hand-written.
import { native } from './native';

const c = native.constants;

// AF_INET6 differs by platform: 10 on Linux, 30 on macOS. Its type is a
// unit type of its own (an enum literal that exists only in the typings),
// so that `switch (addr.family)` over a Sockaddr narrows to SockaddrIn6 at
// `case AF_INET6:` and an exhaustive switch type-checks on every platform.
// The price: a hard-coded 10 or 30 does not compare with it (a type error
// that says "use AF_INET6", which is also the portable spelling).
declare enum PlatformFamily {
  AF_INET6 = -10, // a tag, not the value: the value is the platform's
}

/** The type of AF_INET6 (10 on Linux, 30 on macOS): compare with the constant, never a number. */
export type AF_INET6_VALUE = PlatformFamily.AF_INET6;

/** Every constant this platform defines, by name. */
export const constants: Readonly<Record<string, number>> = Object.freeze({ ...c });

// BEGIN GENERATED from native/constants.txt by `npm run gen:constants`; edit the list, not this.
// Address families (AF_INET6 is 10 on Linux, 30 on macOS)
export const AF_UNSPEC = c.AF_UNSPEC as 0;
export const AF_UNIX = c.AF_UNIX as 1;
export const AF_LOCAL = c.AF_LOCAL as 1;
export const AF_FILE: number | undefined = c.AF_FILE;
export const AF_INET = c.AF_INET as 2;
export const AF_INET6 = c.AF_INET6 as AF_INET6_VALUE;
export const AF_PACKET = c.AF_PACKET as 17 | undefined;
export const AF_NETLINK = c.AF_NETLINK as 16 | undefined;
export const AF_ROUTE: number | undefined = c.AF_ROUTE;
export const AF_LINK: number | undefined = c.AF_LINK;
export const AF_SYSTEM: number | undefined = c.AF_SYSTEM;
export const AF_NDRV: number | undefined = c.AF_NDRV;
export const AF_VSOCK = c.AF_VSOCK as 40 | undefined;
export const AF_TIPC: number | undefined = c.AF_TIPC;
export const AF_BLUETOOTH: number | undefined = c.AF_BLUETOOTH;
export const AF_CAN: number | undefined = c.AF_CAN;
export const AF_ALG: number | undefined = c.AF_ALG;
export const AF_XDP: number | undefined = c.AF_XDP;
export const AF_APPLETALK: number | undefined = c.AF_APPLETALK;
export const AF_IPX: number | undefined = c.AF_IPX;
export const AF_X25: number | undefined = c.AF_X25;
export const AF_KEY: number | undefined = c.AF_KEY;
export const AF_MPLS: number | undefined = c.AF_MPLS;
export const AF_QIPCRTR: number | undefined = c.AF_QIPCRTR;
export const AF_SMC: number | undefined = c.AF_SMC;
export const AF_MAX: number = c.AF_MAX;

// Protocol families: the same numbers as the address families
export const PF_UNSPEC = c.PF_UNSPEC as 0;
export const PF_UNIX = c.PF_UNIX as 1;
export const PF_LOCAL = c.PF_LOCAL as 1;
export const PF_FILE: number | undefined = c.PF_FILE;
export const PF_INET = c.PF_INET as 2;
export const PF_INET6 = c.PF_INET6 as AF_INET6_VALUE;
export const PF_PACKET: number | undefined = c.PF_PACKET;
export const PF_NETLINK: number | undefined = c.PF_NETLINK;
export const PF_ROUTE: number | undefined = c.PF_ROUTE;
export const PF_LINK: number | undefined = c.PF_LINK;
export const PF_SYSTEM: number | undefined = c.PF_SYSTEM;
export const PF_NDRV: number | undefined = c.PF_NDRV;
export const PF_VSOCK: number | undefined = c.PF_VSOCK;
export const PF_TIPC: number | undefined = c.PF_TIPC;
export const PF_BLUETOOTH: number | undefined = c.PF_BLUETOOTH;
export const PF_CAN: number | undefined = c.PF_CAN;
export const PF_ALG: number | undefined = c.PF_ALG;
export const PF_XDP: number | undefined = c.PF_XDP;
export const PF_APPLETALK: number | undefined = c.PF_APPLETALK;
export const PF_IPX: number | undefined = c.PF_IPX;
export const PF_X25: number | undefined = c.PF_X25;
export const PF_KEY: number | undefined = c.PF_KEY;
export const PF_MPLS: number | undefined = c.PF_MPLS;
export const PF_QIPCRTR: number | undefined = c.PF_QIPCRTR;
export const PF_SMC: number | undefined = c.PF_SMC;
export const PF_MAX: number = c.PF_MAX;

// Socket types; SOCK_NONBLOCK and SOCK_CLOEXEC are flags or-ed into the type (Linux)
export const SOCK_STREAM: number = c.SOCK_STREAM;
export const SOCK_DGRAM: number = c.SOCK_DGRAM;
export const SOCK_RAW: number = c.SOCK_RAW;
export const SOCK_RDM: number = c.SOCK_RDM;
export const SOCK_SEQPACKET: number = c.SOCK_SEQPACKET;
export const SOCK_PACKET: number | undefined = c.SOCK_PACKET;
export const SOCK_NONBLOCK: number | undefined = c.SOCK_NONBLOCK;
export const SOCK_CLOEXEC: number | undefined = c.SOCK_CLOEXEC;

// Option levels for getsockopt/setsockopt
export const SOL_SOCKET: number = c.SOL_SOCKET;
export const SOL_IP: number | undefined = c.SOL_IP;
export const SOL_IPV6: number | undefined = c.SOL_IPV6;
export const SOL_TCP: number | undefined = c.SOL_TCP;
export const SOL_UDP: number | undefined = c.SOL_UDP;
export const SOL_RAW: number | undefined = c.SOL_RAW;
export const SOL_PACKET: number | undefined = c.SOL_PACKET;
export const SOL_NETLINK: number | undefined = c.SOL_NETLINK;
export const SOL_ALG: number | undefined = c.SOL_ALG;
export const SOL_TLS: number | undefined = c.SOL_TLS;
export const SOL_LOCAL: number | undefined = c.SOL_LOCAL;

// Socket options (level SOL_SOCKET)
export const SO_DEBUG: number = c.SO_DEBUG;
export const SO_ACCEPTCONN: number = c.SO_ACCEPTCONN;
export const SO_REUSEADDR: number = c.SO_REUSEADDR;
export const SO_REUSEPORT: number = c.SO_REUSEPORT;
export const SO_REUSEPORT_LB: number | undefined = c.SO_REUSEPORT_LB;
export const SO_EXCLUSIVEADDRUSE: number | undefined = c.SO_EXCLUSIVEADDRUSE;
export const SO_KEEPALIVE: number = c.SO_KEEPALIVE;
export const SO_DONTROUTE: number = c.SO_DONTROUTE;
export const SO_BROADCAST: number = c.SO_BROADCAST;
export const SO_LINGER: number = c.SO_LINGER;
export const SO_LINGER_SEC: number | undefined = c.SO_LINGER_SEC;
export const SO_OOBINLINE: number = c.SO_OOBINLINE;
export const SO_SNDBUF: number = c.SO_SNDBUF;
export const SO_RCVBUF: number = c.SO_RCVBUF;
export const SO_SNDBUFFORCE: number | undefined = c.SO_SNDBUFFORCE;
export const SO_RCVBUFFORCE: number | undefined = c.SO_RCVBUFFORCE;
export const SO_SNDLOWAT: number = c.SO_SNDLOWAT;
export const SO_RCVLOWAT: number = c.SO_RCVLOWAT;
export const SO_SNDTIMEO: number = c.SO_SNDTIMEO;
export const SO_RCVTIMEO: number = c.SO_RCVTIMEO;
export const SO_ERROR: number = c.SO_ERROR;
export const SO_TYPE: number = c.SO_TYPE;
export const SO_DOMAIN: number | undefined = c.SO_DOMAIN;
export const SO_PROTOCOL: number | undefined = c.SO_PROTOCOL;
export const SO_PEERCRED: number | undefined = c.SO_PEERCRED;
export const SO_PASSCRED: number | undefined = c.SO_PASSCRED;
export const SO_PEERSEC: number | undefined = c.SO_PEERSEC;
export const SO_PASSSEC: number | undefined = c.SO_PASSSEC;
export const SO_PRIORITY: number | undefined = c.SO_PRIORITY;
export const SO_MARK: number | undefined = c.SO_MARK;
export const SO_BINDTODEVICE: number | undefined = c.SO_BINDTODEVICE;
export const SO_BINDTOIFINDEX: number | undefined = c.SO_BINDTOIFINDEX;
export const SO_TIMESTAMP: number | undefined = c.SO_TIMESTAMP;
export const SO_TIMESTAMPNS: number | undefined = c.SO_TIMESTAMPNS;
export const SO_TIMESTAMPING: number | undefined = c.SO_TIMESTAMPING;
export const SO_TIMESTAMP_MONOTONIC: number | undefined = c.SO_TIMESTAMP_MONOTONIC;
export const SO_BUSY_POLL: number | undefined = c.SO_BUSY_POLL;
export const SO_PREFER_BUSY_POLL: number | undefined = c.SO_PREFER_BUSY_POLL;
export const SO_INCOMING_CPU: number | undefined = c.SO_INCOMING_CPU;
export const SO_COOKIE: number | undefined = c.SO_COOKIE;
export const SO_NETNS_COOKIE: number | undefined = c.SO_NETNS_COOKIE;
export const SO_ZEROCOPY: number | undefined = c.SO_ZEROCOPY;
export const SO_PEEK_OFF: number | undefined = c.SO_PEEK_OFF;
export const SO_RXQ_OVFL: number | undefined = c.SO_RXQ_OVFL;
export const SO_WIFI_STATUS: number | undefined = c.SO_WIFI_STATUS;
export const SO_LOCK_FILTER: number | undefined = c.SO_LOCK_FILTER;
export const SO_SELECT_ERR_QUEUE: number | undefined = c.SO_SELECT_ERR_QUEUE;
export const SO_ATTACH_FILTER: number | undefined = c.SO_ATTACH_FILTER;
export const SO_DETACH_FILTER: number | undefined = c.SO_DETACH_FILTER;
export const SO_TXTIME: number | undefined = c.SO_TXTIME;
export const SO_NOSIGPIPE: number | undefined = c.SO_NOSIGPIPE;
export const SO_NREAD: number | undefined = c.SO_NREAD;
export const SO_NWRITE: number | undefined = c.SO_NWRITE;
export const SO_NKE: number | undefined = c.SO_NKE;
export const SO_NOADDRERR: number | undefined = c.SO_NOADDRERR;
export const SO_USELOOPBACK: number | undefined = c.SO_USELOOPBACK;
export const SO_NET_SERVICE_TYPE: number | undefined = c.SO_NET_SERVICE_TYPE;
export const SO_NETSVC_MARKING_LEVEL: number | undefined = c.SO_NETSVC_MARKING_LEVEL;
export const SO_ATTACH_REUSEPORT_CBPF: number | undefined = c.SO_ATTACH_REUSEPORT_CBPF;
export const SO_ATTACH_REUSEPORT_EBPF: number | undefined = c.SO_ATTACH_REUSEPORT_EBPF;
export const SO_DETACH_REUSEPORT_BPF: number | undefined = c.SO_DETACH_REUSEPORT_BPF;

// Peer credentials of a unix socket (macOS, level SOL_LOCAL)
export const LOCAL_PEERCRED: number | undefined = c.LOCAL_PEERCRED;
export const LOCAL_PEERPID: number | undefined = c.LOCAL_PEERPID;
export const LOCAL_PEEREPID: number | undefined = c.LOCAL_PEEREPID;

// The original destination of a redirected connection (Linux netfilter, levels SOL_IP and SOL_IPV6)
export const SO_ORIGINAL_DST: number | undefined = c.SO_ORIGINAL_DST;
export const IP6T_SO_ORIGINAL_DST: number | undefined = c.IP6T_SO_ORIGINAL_DST;

// Control message types (level SOL_SOCKET)
export const SCM_RIGHTS: number = c.SCM_RIGHTS;
export const SCM_CREDENTIALS: number | undefined = c.SCM_CREDENTIALS;
export const SCM_CREDS: number | undefined = c.SCM_CREDS;
export const SCM_TIMESTAMP: number = c.SCM_TIMESTAMP;
export const SCM_TIMESTAMPNS: number | undefined = c.SCM_TIMESTAMPNS;
export const SCM_TIMESTAMPING: number | undefined = c.SCM_TIMESTAMPING;
export const SCM_TIMESTAMP_MONOTONIC: number | undefined = c.SCM_TIMESTAMP_MONOTONIC;

// Where an error-queue message came from (sock_extended_err.ee_origin, Linux <linux/errqueue.h>)
export const SO_EE_ORIGIN_NONE: number | undefined = c.SO_EE_ORIGIN_NONE;
export const SO_EE_ORIGIN_LOCAL: number | undefined = c.SO_EE_ORIGIN_LOCAL;
export const SO_EE_ORIGIN_ICMP: number | undefined = c.SO_EE_ORIGIN_ICMP;
export const SO_EE_ORIGIN_ICMP6: number | undefined = c.SO_EE_ORIGIN_ICMP6;
export const SO_EE_ORIGIN_TXSTATUS: number | undefined = c.SO_EE_ORIGIN_TXSTATUS;
export const SO_EE_ORIGIN_ZEROCOPY: number | undefined = c.SO_EE_ORIGIN_ZEROCOPY;
export const SO_EE_ORIGIN_TXTIME: number | undefined = c.SO_EE_ORIGIN_TXTIME;
export const SO_EE_ORIGIN_TIMESTAMPING: number | undefined = c.SO_EE_ORIGIN_TIMESTAMPING;

// IP protocol numbers
export const IPPROTO_IP: number = c.IPPROTO_IP;
export const IPPROTO_HOPOPTS: number = c.IPPROTO_HOPOPTS;
export const IPPROTO_ICMP: number = c.IPPROTO_ICMP;
export const IPPROTO_IGMP: number = c.IPPROTO_IGMP;
export const IPPROTO_IPIP: number = c.IPPROTO_IPIP;
export const IPPROTO_IPV4: number | undefined = c.IPPROTO_IPV4;
export const IPPROTO_TCP: number = c.IPPROTO_TCP;
export const IPPROTO_EGP: number = c.IPPROTO_EGP;
export const IPPROTO_PUP: number = c.IPPROTO_PUP;
export const IPPROTO_UDP: number = c.IPPROTO_UDP;
export const IPPROTO_IDP: number = c.IPPROTO_IDP;
export const IPPROTO_TP: number = c.IPPROTO_TP;
export const IPPROTO_DCCP: number | undefined = c.IPPROTO_DCCP;
export const IPPROTO_IPV6: number = c.IPPROTO_IPV6;
export const IPPROTO_ROUTING: number = c.IPPROTO_ROUTING;
export const IPPROTO_FRAGMENT: number = c.IPPROTO_FRAGMENT;
export const IPPROTO_RSVP: number = c.IPPROTO_RSVP;
export const IPPROTO_GRE: number = c.IPPROTO_GRE;
export const IPPROTO_ESP: number = c.IPPROTO_ESP;
export const IPPROTO_AH: number = c.IPPROTO_AH;
export const IPPROTO_ICMPV6: number = c.IPPROTO_ICMPV6;
export const IPPROTO_NONE: number = c.IPPROTO_NONE;
export const IPPROTO_DSTOPTS: number = c.IPPROTO_DSTOPTS;
export const IPPROTO_MTP: number = c.IPPROTO_MTP;
export const IPPROTO_BEETPH: number | undefined = c.IPPROTO_BEETPH;
export const IPPROTO_ENCAP: number = c.IPPROTO_ENCAP;
export const IPPROTO_PIM: number = c.IPPROTO_PIM;
export const IPPROTO_COMP: number | undefined = c.IPPROTO_COMP;
export const IPPROTO_L2TP: number | undefined = c.IPPROTO_L2TP;
export const IPPROTO_SCTP: number = c.IPPROTO_SCTP;
export const IPPROTO_UDPLITE: number | undefined = c.IPPROTO_UDPLITE;
export const IPPROTO_MPLS: number | undefined = c.IPPROTO_MPLS;
export const IPPROTO_ETHERNET: number | undefined = c.IPPROTO_ETHERNET;
export const IPPROTO_RAW: number = c.IPPROTO_RAW;
export const IPPROTO_MPTCP: number | undefined = c.IPPROTO_MPTCP;
export const IPPROTO_MH: number | undefined = c.IPPROTO_MH;
export const IPPROTO_MAX: number | undefined = c.IPPROTO_MAX;

// IPv4 options (level IPPROTO_IP)
export const IP_TOS: number = c.IP_TOS;
export const IP_TTL: number = c.IP_TTL;
export const IP_HDRINCL: number = c.IP_HDRINCL;
export const IP_OPTIONS: number = c.IP_OPTIONS;
export const IP_RECVOPTS: number = c.IP_RECVOPTS;
export const IP_RETOPTS: number = c.IP_RETOPTS;
export const IP_RECVRETOPTS: number = c.IP_RECVRETOPTS;
export const IP_PKTINFO: number = c.IP_PKTINFO;
export const IP_PKTOPTIONS: number | undefined = c.IP_PKTOPTIONS;
export const IP_MTU_DISCOVER: number | undefined = c.IP_MTU_DISCOVER;
export const IP_RECVERR: number | undefined = c.IP_RECVERR;
export const IP_RECVTTL: number = c.IP_RECVTTL;
export const IP_RECVTOS: number = c.IP_RECVTOS;
export const IP_MTU: number | undefined = c.IP_MTU;
export const IP_FREEBIND: number | undefined = c.IP_FREEBIND;
export const IP_IPSEC_POLICY: number = c.IP_IPSEC_POLICY;
export const IP_XFRM_POLICY: number | undefined = c.IP_XFRM_POLICY;
export const IP_PASSSEC: number | undefined = c.IP_PASSSEC;
export const IP_TRANSPARENT: number | undefined = c.IP_TRANSPARENT;
export const IP_MINTTL: number | undefined = c.IP_MINTTL;
export const IP_NODEFRAG: number | undefined = c.IP_NODEFRAG;
export const IP_CHECKSUM: number | undefined = c.IP_CHECKSUM;
export const IP_BIND_ADDRESS_NO_PORT: number | undefined = c.IP_BIND_ADDRESS_NO_PORT;
export const IP_RECVFRAGSIZE: number | undefined = c.IP_RECVFRAGSIZE;
export const IP_RECVERR_RFC4884: number | undefined = c.IP_RECVERR_RFC4884;
export const IP_LOCAL_PORT_RANGE: number | undefined = c.IP_LOCAL_PORT_RANGE;
export const IP_MULTICAST_IF: number = c.IP_MULTICAST_IF;
export const IP_MULTICAST_TTL: number = c.IP_MULTICAST_TTL;
export const IP_MULTICAST_LOOP: number = c.IP_MULTICAST_LOOP;
export const IP_MULTICAST_ALL: number | undefined = c.IP_MULTICAST_ALL;
export const IP_MULTICAST_IFINDEX: number | undefined = c.IP_MULTICAST_IFINDEX;
export const IP_ADD_MEMBERSHIP: number = c.IP_ADD_MEMBERSHIP;
export const IP_DROP_MEMBERSHIP: number = c.IP_DROP_MEMBERSHIP;
export const IP_UNBLOCK_SOURCE: number = c.IP_UNBLOCK_SOURCE;
export const IP_BLOCK_SOURCE: number = c.IP_BLOCK_SOURCE;
export const IP_ADD_SOURCE_MEMBERSHIP: number = c.IP_ADD_SOURCE_MEMBERSHIP;
export const IP_DROP_SOURCE_MEMBERSHIP: number = c.IP_DROP_SOURCE_MEMBERSHIP;
export const IP_MSFILTER: number = c.IP_MSFILTER;
export const IP_UNICAST_IF: number | undefined = c.IP_UNICAST_IF;
export const IP_ORIGDSTADDR: number | undefined = c.IP_ORIGDSTADDR;
export const IP_RECVORIGDSTADDR: number | undefined = c.IP_RECVORIGDSTADDR;
export const IP_RECVDSTADDR: number | undefined = c.IP_RECVDSTADDR;
export const IP_RECVIF: number | undefined = c.IP_RECVIF;
export const IP_BOUND_IF: number | undefined = c.IP_BOUND_IF;
export const IP_DONTFRAG: number | undefined = c.IP_DONTFRAG;
export const IP_STRIPHDR: number | undefined = c.IP_STRIPHDR;
export const IP_RECVPKTINFO: number | undefined = c.IP_RECVPKTINFO;

// Protocol-independent multicast (RFC 3678), at level IPPROTO_IP or IPPROTO_IPV6 by the group's family
export const MCAST_JOIN_GROUP: number | undefined = c.MCAST_JOIN_GROUP;
export const MCAST_LEAVE_GROUP: number | undefined = c.MCAST_LEAVE_GROUP;
export const MCAST_BLOCK_SOURCE: number | undefined = c.MCAST_BLOCK_SOURCE;
export const MCAST_UNBLOCK_SOURCE: number | undefined = c.MCAST_UNBLOCK_SOURCE;
export const MCAST_JOIN_SOURCE_GROUP: number | undefined = c.MCAST_JOIN_SOURCE_GROUP;
export const MCAST_LEAVE_SOURCE_GROUP: number | undefined = c.MCAST_LEAVE_SOURCE_GROUP;

// Values of IP_MTU_DISCOVER, not options
export const IP_PMTUDISC_DONT: number | undefined = c.IP_PMTUDISC_DONT;
export const IP_PMTUDISC_WANT: number | undefined = c.IP_PMTUDISC_WANT;
export const IP_PMTUDISC_DO: number | undefined = c.IP_PMTUDISC_DO;
export const IP_PMTUDISC_PROBE: number | undefined = c.IP_PMTUDISC_PROBE;
export const IP_PMTUDISC_INTERFACE: number | undefined = c.IP_PMTUDISC_INTERFACE;
export const IP_PMTUDISC_OMIT: number | undefined = c.IP_PMTUDISC_OMIT;

// Defaults and limits, not options
export const IP_DEFAULT_MULTICAST_TTL: number = c.IP_DEFAULT_MULTICAST_TTL;
export const IP_DEFAULT_MULTICAST_LOOP: number = c.IP_DEFAULT_MULTICAST_LOOP;
export const IP_MAX_MEMBERSHIPS: number = c.IP_MAX_MEMBERSHIPS;

// IPv6 options (level IPPROTO_IPV6)
export const IPV6_ADDRFORM: number | undefined = c.IPV6_ADDRFORM;
export const IPV6_2292PKTINFO: number = c.IPV6_2292PKTINFO;
export const IPV6_2292HOPOPTS: number = c.IPV6_2292HOPOPTS;
export const IPV6_2292DSTOPTS: number = c.IPV6_2292DSTOPTS;
export const IPV6_2292RTHDR: number = c.IPV6_2292RTHDR;
export const IPV6_2292PKTOPTIONS: number = c.IPV6_2292PKTOPTIONS;
export const IPV6_2292HOPLIMIT: number = c.IPV6_2292HOPLIMIT;
export const IPV6_NEXTHOP: number = c.IPV6_NEXTHOP;
export const IPV6_AUTHHDR: number | undefined = c.IPV6_AUTHHDR;
export const IPV6_UNICAST_HOPS: number = c.IPV6_UNICAST_HOPS;
export const IPV6_MULTICAST_IF: number = c.IPV6_MULTICAST_IF;
export const IPV6_MULTICAST_HOPS: number = c.IPV6_MULTICAST_HOPS;
export const IPV6_MULTICAST_LOOP: number = c.IPV6_MULTICAST_LOOP;
export const IPV6_JOIN_GROUP: number = c.IPV6_JOIN_GROUP;
export const IPV6_LEAVE_GROUP: number = c.IPV6_LEAVE_GROUP;
export const IPV6_ADD_MEMBERSHIP: number | undefined = c.IPV6_ADD_MEMBERSHIP;
export const IPV6_DROP_MEMBERSHIP: number | undefined = c.IPV6_DROP_MEMBERSHIP;
export const IPV6_ROUTER_ALERT: number | undefined = c.IPV6_ROUTER_ALERT;
export const IPV6_MTU_DISCOVER: number | undefined = c.IPV6_MTU_DISCOVER;
export const IPV6_MTU: number | undefined = c.IPV6_MTU;
export const IPV6_RECVERR: number | undefined = c.IPV6_RECVERR;
export const IPV6_V6ONLY: number = c.IPV6_V6ONLY;
export const IPV6_JOIN_ANYCAST: number | undefined = c.IPV6_JOIN_ANYCAST;
export const IPV6_LEAVE_ANYCAST: number | undefined = c.IPV6_LEAVE_ANYCAST;
export const IPV6_IPSEC_POLICY: number = c.IPV6_IPSEC_POLICY;
export const IPV6_XFRM_POLICY: number | undefined = c.IPV6_XFRM_POLICY;
export const IPV6_HDRINCL: number | undefined = c.IPV6_HDRINCL;
export const IPV6_RECVPKTINFO: number = c.IPV6_RECVPKTINFO;
export const IPV6_PKTINFO: number = c.IPV6_PKTINFO;
export const IPV6_RECVHOPLIMIT: number = c.IPV6_RECVHOPLIMIT;
export const IPV6_HOPLIMIT: number = c.IPV6_HOPLIMIT;
export const IPV6_RECVHOPOPTS: number = c.IPV6_RECVHOPOPTS;
export const IPV6_HOPOPTS: number = c.IPV6_HOPOPTS;
export const IPV6_RTHDRDSTOPTS: number = c.IPV6_RTHDRDSTOPTS;
export const IPV6_RECVRTHDR: number = c.IPV6_RECVRTHDR;
export const IPV6_RTHDR: number = c.IPV6_RTHDR;
export const IPV6_RECVDSTOPTS: number = c.IPV6_RECVDSTOPTS;
export const IPV6_DSTOPTS: number = c.IPV6_DSTOPTS;
export const IPV6_RECVPATHMTU: number = c.IPV6_RECVPATHMTU;
export const IPV6_PATHMTU: number = c.IPV6_PATHMTU;
export const IPV6_DONTFRAG: number = c.IPV6_DONTFRAG;
export const IPV6_RECVTCLASS: number = c.IPV6_RECVTCLASS;
export const IPV6_TCLASS: number = c.IPV6_TCLASS;
export const IPV6_AUTOFLOWLABEL: number | undefined = c.IPV6_AUTOFLOWLABEL;
export const IPV6_ADDR_PREFERENCES: number | undefined = c.IPV6_ADDR_PREFERENCES;
export const IPV6_MINHOPCOUNT: number | undefined = c.IPV6_MINHOPCOUNT;
export const IPV6_ORIGDSTADDR: number | undefined = c.IPV6_ORIGDSTADDR;
export const IPV6_RECVORIGDSTADDR: number | undefined = c.IPV6_RECVORIGDSTADDR;
export const IPV6_TRANSPARENT: number | undefined = c.IPV6_TRANSPARENT;
export const IPV6_UNICAST_IF: number | undefined = c.IPV6_UNICAST_IF;
export const IPV6_MULTICAST_ALL: number | undefined = c.IPV6_MULTICAST_ALL;
export const IPV6_FREEBIND: number | undefined = c.IPV6_FREEBIND;
export const IPV6_BOUND_IF: number | undefined = c.IPV6_BOUND_IF;
export const IPV6_USE_MIN_MTU: number | undefined = c.IPV6_USE_MIN_MTU;
export const IPV6_CHECKSUM: number = c.IPV6_CHECKSUM;
export const IPV6_PREFER_TEMPADDR: number | undefined = c.IPV6_PREFER_TEMPADDR;

// Values of IPV6_MTU_DISCOVER, not options
export const IPV6_PMTUDISC_DONT: number | undefined = c.IPV6_PMTUDISC_DONT;
export const IPV6_PMTUDISC_WANT: number | undefined = c.IPV6_PMTUDISC_WANT;
export const IPV6_PMTUDISC_DO: number | undefined = c.IPV6_PMTUDISC_DO;
export const IPV6_PMTUDISC_PROBE: number | undefined = c.IPV6_PMTUDISC_PROBE;
export const IPV6_PMTUDISC_INTERFACE: number | undefined = c.IPV6_PMTUDISC_INTERFACE;
export const IPV6_PMTUDISC_OMIT: number | undefined = c.IPV6_PMTUDISC_OMIT;

// TCP options (level IPPROTO_TCP)
export const TCP_NODELAY: number = c.TCP_NODELAY;
export const TCP_MAXSEG: number = c.TCP_MAXSEG;
export const TCP_CORK: number | undefined = c.TCP_CORK;
export const TCP_KEEPIDLE: number | undefined = c.TCP_KEEPIDLE;
export const TCP_KEEPINTVL: number = c.TCP_KEEPINTVL;
export const TCP_KEEPCNT: number = c.TCP_KEEPCNT;
export const TCP_KEEPALIVE: number | undefined = c.TCP_KEEPALIVE;
export const TCP_SYNCNT: number | undefined = c.TCP_SYNCNT;
export const TCP_LINGER2: number | undefined = c.TCP_LINGER2;
export const TCP_DEFER_ACCEPT: number | undefined = c.TCP_DEFER_ACCEPT;
export const TCP_WINDOW_CLAMP: number | undefined = c.TCP_WINDOW_CLAMP;
export const TCP_INFO: number | undefined = c.TCP_INFO;
export const TCP_QUICKACK: number | undefined = c.TCP_QUICKACK;
export const TCP_CONGESTION: number | undefined = c.TCP_CONGESTION;
export const TCP_MD5SIG: number | undefined = c.TCP_MD5SIG;
export const TCP_THIN_LINEAR_TIMEOUTS: number | undefined = c.TCP_THIN_LINEAR_TIMEOUTS;
export const TCP_THIN_DUPACK: number | undefined = c.TCP_THIN_DUPACK;
export const TCP_USER_TIMEOUT: number | undefined = c.TCP_USER_TIMEOUT;
export const TCP_REPAIR: number | undefined = c.TCP_REPAIR;
export const TCP_REPAIR_QUEUE: number | undefined = c.TCP_REPAIR_QUEUE;
export const TCP_QUEUE_SEQ: number | undefined = c.TCP_QUEUE_SEQ;
export const TCP_REPAIR_OPTIONS: number | undefined = c.TCP_REPAIR_OPTIONS;
export const TCP_FASTOPEN: number = c.TCP_FASTOPEN;
export const TCP_TIMESTAMP: number | undefined = c.TCP_TIMESTAMP;
export const TCP_NOTSENT_LOWAT: number = c.TCP_NOTSENT_LOWAT;
export const TCP_CC_INFO: number | undefined = c.TCP_CC_INFO;
export const TCP_SAVE_SYN: number | undefined = c.TCP_SAVE_SYN;
export const TCP_SAVED_SYN: number | undefined = c.TCP_SAVED_SYN;
export const TCP_REPAIR_WINDOW: number | undefined = c.TCP_REPAIR_WINDOW;
export const TCP_FASTOPEN_CONNECT: number | undefined = c.TCP_FASTOPEN_CONNECT;
export const TCP_ULP: number | undefined = c.TCP_ULP;
export const TCP_MD5SIG_EXT: number | undefined = c.TCP_MD5SIG_EXT;
export const TCP_FASTOPEN_KEY: number | undefined = c.TCP_FASTOPEN_KEY;
export const TCP_FASTOPEN_NO_COOKIE: number | undefined = c.TCP_FASTOPEN_NO_COOKIE;
export const TCP_ZEROCOPY_RECEIVE: number | undefined = c.TCP_ZEROCOPY_RECEIVE;
export const TCP_INQ: number | undefined = c.TCP_INQ;
export const TCP_TX_DELAY: number | undefined = c.TCP_TX_DELAY;
export const TCP_NOPUSH: number | undefined = c.TCP_NOPUSH;
export const TCP_NOOPT: number | undefined = c.TCP_NOOPT;
export const TCP_CONNECTIONTIMEOUT: number | undefined = c.TCP_CONNECTIONTIMEOUT;
export const TCP_SENDMOREACKS: number | undefined = c.TCP_SENDMOREACKS;
export const TCP_ENABLE_ECN: number | undefined = c.TCP_ENABLE_ECN;
export const TCP_RXT_CONNDROPTIME: number | undefined = c.TCP_RXT_CONNDROPTIME;
export const TCP_CONNECTION_INFO: number | undefined = c.TCP_CONNECTION_INFO;
export const TCP_MAXWIN: number | undefined = c.TCP_MAXWIN;
export const TCP_MAX_WINSHIFT: number | undefined = c.TCP_MAX_WINSHIFT;

// TCP connection states, as TCP_INFO's `state` reports them (Linux: an enum in <netinet/tcp.h>)
export const TCP_ESTABLISHED: number | undefined = c.TCP_ESTABLISHED;
export const TCP_SYN_SENT: number | undefined = c.TCP_SYN_SENT;
export const TCP_SYN_RECV: number | undefined = c.TCP_SYN_RECV;
export const TCP_FIN_WAIT1: number | undefined = c.TCP_FIN_WAIT1;
export const TCP_FIN_WAIT2: number | undefined = c.TCP_FIN_WAIT2;
export const TCP_TIME_WAIT: number | undefined = c.TCP_TIME_WAIT;
export const TCP_CLOSE: number | undefined = c.TCP_CLOSE;
export const TCP_CLOSE_WAIT: number | undefined = c.TCP_CLOSE_WAIT;
export const TCP_LAST_ACK: number | undefined = c.TCP_LAST_ACK;
export const TCP_LISTEN: number | undefined = c.TCP_LISTEN;
export const TCP_CLOSING: number | undefined = c.TCP_CLOSING;

// Congestion-avoidance states, TCP_INFO's `caState` (Linux: an enum in <netinet/tcp.h>)
export const TCP_CA_Open: number | undefined = c.TCP_CA_Open;
export const TCP_CA_Disorder: number | undefined = c.TCP_CA_Disorder;
export const TCP_CA_CWR: number | undefined = c.TCP_CA_CWR;
export const TCP_CA_Recovery: number | undefined = c.TCP_CA_Recovery;
export const TCP_CA_Loss: number | undefined = c.TCP_CA_Loss;

// TCP_INFO's `options` bits (Linux)
export const TCPI_OPT_TIMESTAMPS: number | undefined = c.TCPI_OPT_TIMESTAMPS;
export const TCPI_OPT_SACK: number | undefined = c.TCPI_OPT_SACK;
export const TCPI_OPT_WSCALE: number | undefined = c.TCPI_OPT_WSCALE;
export const TCPI_OPT_ECN: number | undefined = c.TCPI_OPT_ECN;
export const TCPI_OPT_ECN_SEEN: number | undefined = c.TCPI_OPT_ECN_SEEN;
export const TCPI_OPT_SYN_DATA: number | undefined = c.TCPI_OPT_SYN_DATA;

// Classic BPF, for SO_ATTACH_FILTER and SO_ATTACH_REUSEPORT_CBPF (Linux <linux/filter.h>): instruction classes
export const BPF_LD: number | undefined = c.BPF_LD;
export const BPF_LDX: number | undefined = c.BPF_LDX;
export const BPF_ST: number | undefined = c.BPF_ST;
export const BPF_STX: number | undefined = c.BPF_STX;
export const BPF_ALU: number | undefined = c.BPF_ALU;
export const BPF_JMP: number | undefined = c.BPF_JMP;
export const BPF_RET: number | undefined = c.BPF_RET;
export const BPF_MISC: number | undefined = c.BPF_MISC;

// Classic BPF: operand sizes and addressing modes
export const BPF_W: number | undefined = c.BPF_W;
export const BPF_H: number | undefined = c.BPF_H;
export const BPF_B: number | undefined = c.BPF_B;
export const BPF_IMM: number | undefined = c.BPF_IMM;
export const BPF_ABS: number | undefined = c.BPF_ABS;
export const BPF_IND: number | undefined = c.BPF_IND;
export const BPF_MEM: number | undefined = c.BPF_MEM;
export const BPF_LEN: number | undefined = c.BPF_LEN;
export const BPF_MSH: number | undefined = c.BPF_MSH;

// Classic BPF: ALU and jump operations, and sources
export const BPF_ADD: number | undefined = c.BPF_ADD;
export const BPF_SUB: number | undefined = c.BPF_SUB;
export const BPF_MUL: number | undefined = c.BPF_MUL;
export const BPF_DIV: number | undefined = c.BPF_DIV;
export const BPF_OR: number | undefined = c.BPF_OR;
export const BPF_AND: number | undefined = c.BPF_AND;
export const BPF_LSH: number | undefined = c.BPF_LSH;
export const BPF_RSH: number | undefined = c.BPF_RSH;
export const BPF_NEG: number | undefined = c.BPF_NEG;
export const BPF_MOD: number | undefined = c.BPF_MOD;
export const BPF_XOR: number | undefined = c.BPF_XOR;
export const BPF_JA: number | undefined = c.BPF_JA;
export const BPF_JEQ: number | undefined = c.BPF_JEQ;
export const BPF_JGT: number | undefined = c.BPF_JGT;
export const BPF_JGE: number | undefined = c.BPF_JGE;
export const BPF_JSET: number | undefined = c.BPF_JSET;
export const BPF_K: number | undefined = c.BPF_K;
export const BPF_X: number | undefined = c.BPF_X;
export const BPF_A: number | undefined = c.BPF_A;
export const BPF_TAX: number | undefined = c.BPF_TAX;
export const BPF_TXA: number | undefined = c.BPF_TXA;
export const BPF_MAXINSNS: number | undefined = c.BPF_MAXINSNS;

// Classic BPF: the kernel's ancillary loads (offsets added to SKF_AD_OFF)
export const SKF_AD_OFF: number | undefined = c.SKF_AD_OFF;
export const SKF_AD_PROTOCOL: number | undefined = c.SKF_AD_PROTOCOL;
export const SKF_AD_PKTTYPE: number | undefined = c.SKF_AD_PKTTYPE;
export const SKF_AD_IFINDEX: number | undefined = c.SKF_AD_IFINDEX;
export const SKF_AD_NLATTR: number | undefined = c.SKF_AD_NLATTR;
export const SKF_AD_NLATTR_NEST: number | undefined = c.SKF_AD_NLATTR_NEST;
export const SKF_AD_MARK: number | undefined = c.SKF_AD_MARK;
export const SKF_AD_QUEUE: number | undefined = c.SKF_AD_QUEUE;
export const SKF_AD_HATYPE: number | undefined = c.SKF_AD_HATYPE;
export const SKF_AD_RXHASH: number | undefined = c.SKF_AD_RXHASH;
export const SKF_AD_CPU: number | undefined = c.SKF_AD_CPU;
export const SKF_AD_ALU_XOR_X: number | undefined = c.SKF_AD_ALU_XOR_X;
export const SKF_AD_VLAN_TAG: number | undefined = c.SKF_AD_VLAN_TAG;
export const SKF_AD_VLAN_TAG_PRESENT: number | undefined = c.SKF_AD_VLAN_TAG_PRESENT;
export const SKF_AD_PAY_OFFSET: number | undefined = c.SKF_AD_PAY_OFFSET;
export const SKF_AD_RANDOM: number | undefined = c.SKF_AD_RANDOM;
export const SKF_AD_VLAN_TPID: number | undefined = c.SKF_AD_VLAN_TPID;
export const SKF_NET_OFF: number | undefined = c.SKF_NET_OFF;
export const SKF_LL_OFF: number | undefined = c.SKF_LL_OFF;

// UDP options (level IPPROTO_UDP)
export const UDP_CORK: number | undefined = c.UDP_CORK;
export const UDP_ENCAP: number | undefined = c.UDP_ENCAP;
export const UDP_NO_CHECK6_TX: number | undefined = c.UDP_NO_CHECK6_TX;
export const UDP_NO_CHECK6_RX: number | undefined = c.UDP_NO_CHECK6_RX;
export const UDP_SEGMENT: number | undefined = c.UDP_SEGMENT;
export const UDP_GRO: number | undefined = c.UDP_GRO;
export const UDP_NOCKSUM: number | undefined = c.UDP_NOCKSUM;

// send/recv flags
export const MSG_OOB: number = c.MSG_OOB;
export const MSG_PEEK: number = c.MSG_PEEK;
export const MSG_DONTROUTE: number = c.MSG_DONTROUTE;
export const MSG_CTRUNC: number = c.MSG_CTRUNC;
export const MSG_PROXY: number | undefined = c.MSG_PROXY;
export const MSG_TRUNC: number = c.MSG_TRUNC;
export const MSG_DONTWAIT: number = c.MSG_DONTWAIT;
export const MSG_EOR: number = c.MSG_EOR;
export const MSG_WAITALL: number = c.MSG_WAITALL;
export const MSG_FIN: number | undefined = c.MSG_FIN;
export const MSG_SYN: number | undefined = c.MSG_SYN;
export const MSG_CONFIRM: number | undefined = c.MSG_CONFIRM;
export const MSG_RST: number | undefined = c.MSG_RST;
export const MSG_ERRQUEUE: number | undefined = c.MSG_ERRQUEUE;
export const MSG_NOSIGNAL: number | undefined = c.MSG_NOSIGNAL;
export const MSG_MORE: number | undefined = c.MSG_MORE;
export const MSG_WAITFORONE: number | undefined = c.MSG_WAITFORONE;
export const MSG_BATCH: number | undefined = c.MSG_BATCH;
export const MSG_ZEROCOPY: number | undefined = c.MSG_ZEROCOPY;
export const MSG_FASTOPEN: number | undefined = c.MSG_FASTOPEN;
export const MSG_CMSG_CLOEXEC: number | undefined = c.MSG_CMSG_CLOEXEC;
export const MSG_EOF: number | undefined = c.MSG_EOF;
export const MSG_FLUSH: number | undefined = c.MSG_FLUSH;
export const MSG_HOLD: number | undefined = c.MSG_HOLD;
export const MSG_SEND: number | undefined = c.MSG_SEND;
export const MSG_HAVEMORE: number | undefined = c.MSG_HAVEMORE;
export const MSG_RCVMORE: number | undefined = c.MSG_RCVMORE;
export const MSG_NEEDSA: number | undefined = c.MSG_NEEDSA;
export const MSG_NBIO: number | undefined = c.MSG_NBIO;

// shutdown() how
export const SHUT_RD: number = c.SHUT_RD;
export const SHUT_WR: number = c.SHUT_WR;
export const SHUT_RDWR: number = c.SHUT_RDWR;

// getaddrinfo() flags
export const AI_PASSIVE: number = c.AI_PASSIVE;
export const AI_CANONNAME: number = c.AI_CANONNAME;
export const AI_NUMERICHOST: number = c.AI_NUMERICHOST;
export const AI_NUMERICSERV: number = c.AI_NUMERICSERV;
export const AI_V4MAPPED: number = c.AI_V4MAPPED;
export const AI_ALL: number = c.AI_ALL;
export const AI_ADDRCONFIG: number = c.AI_ADDRCONFIG;
export const AI_IDN: number | undefined = c.AI_IDN;
export const AI_CANONIDN: number | undefined = c.AI_CANONIDN;
export const AI_DEFAULT: number | undefined = c.AI_DEFAULT;
export const AI_MASK: number | undefined = c.AI_MASK;
export const AI_V4MAPPED_CFG: number | undefined = c.AI_V4MAPPED_CFG;
export const AI_UNUSABLE: number | undefined = c.AI_UNUSABLE;

// getnameinfo() flags and buffer sizes
export const NI_NUMERICHOST: number = c.NI_NUMERICHOST;
export const NI_NUMERICSERV: number = c.NI_NUMERICSERV;
export const NI_NOFQDN: number = c.NI_NOFQDN;
export const NI_NAMEREQD: number = c.NI_NAMEREQD;
export const NI_DGRAM: number = c.NI_DGRAM;
export const NI_IDN: number | undefined = c.NI_IDN;
export const NI_NUMERICSCOPE: number | undefined = c.NI_NUMERICSCOPE;
export const NI_WITHSCOPEID: number | undefined = c.NI_WITHSCOPEID;
export const NI_MAXHOST: number = c.NI_MAXHOST;
export const NI_MAXSERV: number = c.NI_MAXSERV;

// getaddrinfo()/getnameinfo() errors (negative on glibc)
export const EAI_BADFLAGS: number = c.EAI_BADFLAGS;
export const EAI_NONAME: number = c.EAI_NONAME;
export const EAI_AGAIN: number = c.EAI_AGAIN;
export const EAI_FAIL: number = c.EAI_FAIL;
export const EAI_FAMILY: number = c.EAI_FAMILY;
export const EAI_SOCKTYPE: number = c.EAI_SOCKTYPE;
export const EAI_SERVICE: number = c.EAI_SERVICE;
export const EAI_MEMORY: number = c.EAI_MEMORY;
export const EAI_SYSTEM: number = c.EAI_SYSTEM;
export const EAI_OVERFLOW: number = c.EAI_OVERFLOW;
export const EAI_NODATA: number = c.EAI_NODATA;
export const EAI_ADDRFAMILY: number = c.EAI_ADDRFAMILY;
export const EAI_INPROGRESS: number | undefined = c.EAI_INPROGRESS;
export const EAI_CANCELED: number | undefined = c.EAI_CANCELED;
export const EAI_NOTCANCELED: number | undefined = c.EAI_NOTCANCELED;
export const EAI_ALLDONE: number | undefined = c.EAI_ALLDONE;
export const EAI_INTR: number | undefined = c.EAI_INTR;
export const EAI_IDN_ENCODE: number | undefined = c.EAI_IDN_ENCODE;
export const EAI_BADHINTS: number | undefined = c.EAI_BADHINTS;
export const EAI_PROTOCOL: number | undefined = c.EAI_PROTOCOL;
export const EAI_MAX: number | undefined = c.EAI_MAX;

// IPv4 addresses, as host-order numbers
export const INADDR_ANY: number = c.INADDR_ANY;
export const INADDR_LOOPBACK: number = c.INADDR_LOOPBACK;
export const INADDR_BROADCAST: number = c.INADDR_BROADCAST;
export const INADDR_NONE: number = c.INADDR_NONE;
export const INADDR_UNSPEC_GROUP: number = c.INADDR_UNSPEC_GROUP;
export const INADDR_ALLHOSTS_GROUP: number = c.INADDR_ALLHOSTS_GROUP;
export const INADDR_ALLRTRS_GROUP: number = c.INADDR_ALLRTRS_GROUP;
export const INADDR_MAX_LOCAL_GROUP: number = c.INADDR_MAX_LOCAL_GROUP;

// gethostbyname()/gethostbyaddr() errors: h_errno codes (NO_ADDRESS is NO_DATA)
export const NETDB_INTERNAL: number = c.NETDB_INTERNAL;
export const NETDB_SUCCESS: number = c.NETDB_SUCCESS;
export const HOST_NOT_FOUND: number = c.HOST_NOT_FOUND;
export const TRY_AGAIN: number = c.TRY_AGAIN;
export const NO_RECOVERY: number = c.NO_RECOVERY;
export const NO_DATA: number = c.NO_DATA;
export const NO_ADDRESS: number = c.NO_ADDRESS;

// Interface flags (getifaddrs ifa_flags; <net/if.h>, and <linux/if.h> for the last three, Linux)
export const IFF_UP: number = c.IFF_UP;
export const IFF_BROADCAST: number = c.IFF_BROADCAST;
export const IFF_DEBUG: number = c.IFF_DEBUG;
export const IFF_LOOPBACK: number = c.IFF_LOOPBACK;
export const IFF_POINTOPOINT: number = c.IFF_POINTOPOINT;
export const IFF_NOTRAILERS: number = c.IFF_NOTRAILERS;
export const IFF_RUNNING: number = c.IFF_RUNNING;
export const IFF_NOARP: number = c.IFF_NOARP;
export const IFF_PROMISC: number = c.IFF_PROMISC;
export const IFF_ALLMULTI: number = c.IFF_ALLMULTI;
export const IFF_MULTICAST: number = c.IFF_MULTICAST;
export const IFF_OACTIVE: number | undefined = c.IFF_OACTIVE;
export const IFF_SIMPLEX: number | undefined = c.IFF_SIMPLEX;
export const IFF_LINK0: number | undefined = c.IFF_LINK0;
export const IFF_LINK1: number | undefined = c.IFF_LINK1;
export const IFF_LINK2: number | undefined = c.IFF_LINK2;
export const IFF_ALTPHYS: number | undefined = c.IFF_ALTPHYS;
export const IFF_MASTER: number | undefined = c.IFF_MASTER;
export const IFF_SLAVE: number | undefined = c.IFF_SLAVE;
export const IFF_PORTSEL: number | undefined = c.IFF_PORTSEL;
export const IFF_AUTOMEDIA: number | undefined = c.IFF_AUTOMEDIA;
export const IFF_DYNAMIC: number | undefined = c.IFF_DYNAMIC;
export const IFF_LOWER_UP: number | undefined = c.IFF_LOWER_UP;
export const IFF_DORMANT: number | undefined = c.IFF_DORMANT;
export const IFF_ECHO: number | undefined = c.IFF_ECHO;

// poll() events
export const POLLIN: number = c.POLLIN;
export const POLLPRI: number = c.POLLPRI;
export const POLLOUT: number = c.POLLOUT;
export const POLLERR: number = c.POLLERR;
export const POLLHUP: number = c.POLLHUP;
export const POLLNVAL: number = c.POLLNVAL;
export const POLLRDNORM: number = c.POLLRDNORM;
export const POLLRDBAND: number = c.POLLRDBAND;
export const POLLWRNORM: number = c.POLLWRNORM;
export const POLLWRBAND: number = c.POLLWRBAND;
export const POLLRDHUP: number | undefined = c.POLLRDHUP;
export const POLLMSG: number | undefined = c.POLLMSG;

// fcntl() commands
export const F_GETFD: number = c.F_GETFD;
export const F_SETFD: number = c.F_SETFD;
export const F_GETFL: number = c.F_GETFL;
export const F_SETFL: number = c.F_SETFL;
export const F_DUPFD: number = c.F_DUPFD;
export const F_DUPFD_CLOEXEC: number = c.F_DUPFD_CLOEXEC;

// File descriptor flags (F_GETFD/F_SETFD)
export const FD_CLOEXEC: number = c.FD_CLOEXEC;

// File status flags (F_GETFL/F_SETFL)
export const O_NONBLOCK: number = c.O_NONBLOCK;
export const O_NDELAY: number = c.O_NDELAY;

// open()/dup3() flags (dup3 is Linux only; macOS has O_CLOEXEC for open)
export const O_CLOEXEC: number = c.O_CLOEXEC;

// ioctl() requests with an integer result: the ones ioctl() accepts (SIOC* Linux, FIONWRITE/FIONSPACE macOS)
export const FIONREAD: number = c.FIONREAD;
export const SIOCINQ: number | undefined = c.SIOCINQ;
export const SIOCOUTQ: number | undefined = c.SIOCOUTQ;
export const SIOCOUTQNSD: number | undefined = c.SIOCOUTQNSD;
export const FIONWRITE: number | undefined = c.FIONWRITE;
export const FIONSPACE: number | undefined = c.FIONSPACE;

// Limits and buffer sizes
export const SOMAXCONN: number = c.SOMAXCONN;
export const INET_ADDRSTRLEN: number = c.INET_ADDRSTRLEN;
export const INET6_ADDRSTRLEN: number = c.INET6_ADDRSTRLEN;

// Netlink protocols: socket(AF_NETLINK, SOCK_RAW, NETLINK_...) (Linux <linux/netlink.h>)
export const NETLINK_ROUTE: number | undefined = c.NETLINK_ROUTE;
export const NETLINK_UNUSED: number | undefined = c.NETLINK_UNUSED;
export const NETLINK_USERSOCK: number | undefined = c.NETLINK_USERSOCK;
export const NETLINK_FIREWALL: number | undefined = c.NETLINK_FIREWALL;
export const NETLINK_SOCK_DIAG: number | undefined = c.NETLINK_SOCK_DIAG;
export const NETLINK_NFLOG: number | undefined = c.NETLINK_NFLOG;
export const NETLINK_XFRM: number | undefined = c.NETLINK_XFRM;
export const NETLINK_SELINUX: number | undefined = c.NETLINK_SELINUX;
export const NETLINK_ISCSI: number | undefined = c.NETLINK_ISCSI;
export const NETLINK_AUDIT: number | undefined = c.NETLINK_AUDIT;
export const NETLINK_FIB_LOOKUP: number | undefined = c.NETLINK_FIB_LOOKUP;
export const NETLINK_CONNECTOR: number | undefined = c.NETLINK_CONNECTOR;
export const NETLINK_NETFILTER: number | undefined = c.NETLINK_NETFILTER;
export const NETLINK_IP6_FW: number | undefined = c.NETLINK_IP6_FW;
export const NETLINK_DNRTMSG: number | undefined = c.NETLINK_DNRTMSG;
export const NETLINK_KOBJECT_UEVENT: number | undefined = c.NETLINK_KOBJECT_UEVENT;
export const NETLINK_GENERIC: number | undefined = c.NETLINK_GENERIC;
export const NETLINK_SCSITRANSPORT: number | undefined = c.NETLINK_SCSITRANSPORT;
export const NETLINK_ECRYPTFS: number | undefined = c.NETLINK_ECRYPTFS;
export const NETLINK_RDMA: number | undefined = c.NETLINK_RDMA;
export const NETLINK_CRYPTO: number | undefined = c.NETLINK_CRYPTO;
export const NETLINK_SMC: number | undefined = c.NETLINK_SMC;

// Netlink options (level SOL_NETLINK; their numbers overlap the protocols')
export const NETLINK_ADD_MEMBERSHIP: number | undefined = c.NETLINK_ADD_MEMBERSHIP;
export const NETLINK_DROP_MEMBERSHIP: number | undefined = c.NETLINK_DROP_MEMBERSHIP;
export const NETLINK_PKTINFO: number | undefined = c.NETLINK_PKTINFO;
export const NETLINK_BROADCAST_ERROR: number | undefined = c.NETLINK_BROADCAST_ERROR;
export const NETLINK_NO_ENOBUFS: number | undefined = c.NETLINK_NO_ENOBUFS;
export const NETLINK_LISTEN_ALL_NSID: number | undefined = c.NETLINK_LISTEN_ALL_NSID;
export const NETLINK_LIST_MEMBERSHIPS: number | undefined = c.NETLINK_LIST_MEMBERSHIPS;
export const NETLINK_CAP_ACK: number | undefined = c.NETLINK_CAP_ACK;
export const NETLINK_EXT_ACK: number | undefined = c.NETLINK_EXT_ACK;
export const NETLINK_GET_STRICT_CHK: number | undefined = c.NETLINK_GET_STRICT_CHK;

// Netlink message header (struct nlmsghdr): control types, then sizes
export const NLMSG_NOOP: number | undefined = c.NLMSG_NOOP;
export const NLMSG_ERROR: number | undefined = c.NLMSG_ERROR;
export const NLMSG_DONE: number | undefined = c.NLMSG_DONE;
export const NLMSG_OVERRUN: number | undefined = c.NLMSG_OVERRUN;
export const NLMSG_MIN_TYPE: number | undefined = c.NLMSG_MIN_TYPE;
export const NLMSG_ALIGNTO: number | undefined = c.NLMSG_ALIGNTO;
export const NLMSG_HDRLEN: number | undefined = c.NLMSG_HDRLEN;

// Netlink message flags (nlmsg_flags); the GET and NEW ones share bits
export const NLM_F_REQUEST: number | undefined = c.NLM_F_REQUEST;
export const NLM_F_MULTI: number | undefined = c.NLM_F_MULTI;
export const NLM_F_ACK: number | undefined = c.NLM_F_ACK;
export const NLM_F_ECHO: number | undefined = c.NLM_F_ECHO;
export const NLM_F_DUMP_INTR: number | undefined = c.NLM_F_DUMP_INTR;
export const NLM_F_DUMP_FILTERED: number | undefined = c.NLM_F_DUMP_FILTERED;
export const NLM_F_ROOT: number | undefined = c.NLM_F_ROOT;
export const NLM_F_MATCH: number | undefined = c.NLM_F_MATCH;
export const NLM_F_ATOMIC: number | undefined = c.NLM_F_ATOMIC;
export const NLM_F_DUMP: number | undefined = c.NLM_F_DUMP;
export const NLM_F_REPLACE: number | undefined = c.NLM_F_REPLACE;
export const NLM_F_EXCL: number | undefined = c.NLM_F_EXCL;
export const NLM_F_CREATE: number | undefined = c.NLM_F_CREATE;
export const NLM_F_APPEND: number | undefined = c.NLM_F_APPEND;

// Routing netlink message types (NETLINK_ROUTE, Linux <linux/rtnetlink.h>)
export const RTM_NEWLINK: number | undefined = c.RTM_NEWLINK;
export const RTM_DELLINK: number | undefined = c.RTM_DELLINK;
export const RTM_GETLINK: number | undefined = c.RTM_GETLINK;
export const RTM_NEWADDR: number | undefined = c.RTM_NEWADDR;
export const RTM_DELADDR: number | undefined = c.RTM_DELADDR;
export const RTM_GETADDR: number | undefined = c.RTM_GETADDR;
export const RTM_NEWROUTE: number | undefined = c.RTM_NEWROUTE;
export const RTM_DELROUTE: number | undefined = c.RTM_DELROUTE;
export const RTM_GETROUTE: number | undefined = c.RTM_GETROUTE;

// Routing netlink multicast groups, for sockaddr_nl.nl_groups
export const RTMGRP_LINK: number | undefined = c.RTMGRP_LINK;
export const RTMGRP_NOTIFY: number | undefined = c.RTMGRP_NOTIFY;
export const RTMGRP_NEIGH: number | undefined = c.RTMGRP_NEIGH;
export const RTMGRP_TC: number | undefined = c.RTMGRP_TC;
export const RTMGRP_IPV4_IFADDR: number | undefined = c.RTMGRP_IPV4_IFADDR;
export const RTMGRP_IPV4_ROUTE: number | undefined = c.RTMGRP_IPV4_ROUTE;
export const RTMGRP_IPV6_IFADDR: number | undefined = c.RTMGRP_IPV6_IFADDR;
export const RTMGRP_IPV6_ROUTE: number | undefined = c.RTMGRP_IPV6_ROUTE;

// Link attributes (struct rtattr rta_type in an RTM_NEWLINK message)
export const IFLA_IFNAME: number | undefined = c.IFLA_IFNAME;

// Packet types (sockaddr_ll.sll_pkttype, Linux <linux/if_packet.h>)
export const PACKET_HOST: number | undefined = c.PACKET_HOST;
export const PACKET_BROADCAST: number | undefined = c.PACKET_BROADCAST;
export const PACKET_MULTICAST: number | undefined = c.PACKET_MULTICAST;
export const PACKET_OTHERHOST: number | undefined = c.PACKET_OTHERHOST;
export const PACKET_OUTGOING: number | undefined = c.PACKET_OUTGOING;
export const PACKET_LOOPBACK: number | undefined = c.PACKET_LOOPBACK;
export const PACKET_USER: number | undefined = c.PACKET_USER;
export const PACKET_KERNEL: number | undefined = c.PACKET_KERNEL;

// Packet socket options (level SOL_PACKET; their numbers overlap the packet types')
export const PACKET_ADD_MEMBERSHIP: number | undefined = c.PACKET_ADD_MEMBERSHIP;
export const PACKET_DROP_MEMBERSHIP: number | undefined = c.PACKET_DROP_MEMBERSHIP;
export const PACKET_RECV_OUTPUT: number | undefined = c.PACKET_RECV_OUTPUT;
export const PACKET_RX_RING: number | undefined = c.PACKET_RX_RING;
export const PACKET_STATISTICS: number | undefined = c.PACKET_STATISTICS;
export const PACKET_COPY_THRESH: number | undefined = c.PACKET_COPY_THRESH;
export const PACKET_AUXDATA: number | undefined = c.PACKET_AUXDATA;
export const PACKET_ORIGDEV: number | undefined = c.PACKET_ORIGDEV;
export const PACKET_VERSION: number | undefined = c.PACKET_VERSION;
export const PACKET_HDRLEN: number | undefined = c.PACKET_HDRLEN;
export const PACKET_RESERVE: number | undefined = c.PACKET_RESERVE;
export const PACKET_TX_RING: number | undefined = c.PACKET_TX_RING;
export const PACKET_LOSS: number | undefined = c.PACKET_LOSS;
export const PACKET_VNET_HDR: number | undefined = c.PACKET_VNET_HDR;
export const PACKET_TX_TIMESTAMP: number | undefined = c.PACKET_TX_TIMESTAMP;
export const PACKET_TIMESTAMP: number | undefined = c.PACKET_TIMESTAMP;
export const PACKET_FANOUT: number | undefined = c.PACKET_FANOUT;
export const PACKET_TX_HAS_OFF: number | undefined = c.PACKET_TX_HAS_OFF;
export const PACKET_QDISC_BYPASS: number | undefined = c.PACKET_QDISC_BYPASS;
export const PACKET_ROLLOVER_STATS: number | undefined = c.PACKET_ROLLOVER_STATS;
export const PACKET_FANOUT_DATA: number | undefined = c.PACKET_FANOUT_DATA;
export const PACKET_IGNORE_OUTGOING: number | undefined = c.PACKET_IGNORE_OUTGOING;

// struct packet_mreq mr_type (PACKET_ADD_MEMBERSHIP), and PACKET_FANOUT modes and flags
export const PACKET_MR_MULTICAST: number | undefined = c.PACKET_MR_MULTICAST;
export const PACKET_MR_PROMISC: number | undefined = c.PACKET_MR_PROMISC;
export const PACKET_MR_ALLMULTI: number | undefined = c.PACKET_MR_ALLMULTI;
export const PACKET_MR_UNICAST: number | undefined = c.PACKET_MR_UNICAST;
export const PACKET_FANOUT_HASH: number | undefined = c.PACKET_FANOUT_HASH;
export const PACKET_FANOUT_LB: number | undefined = c.PACKET_FANOUT_LB;
export const PACKET_FANOUT_CPU: number | undefined = c.PACKET_FANOUT_CPU;
export const PACKET_FANOUT_ROLLOVER: number | undefined = c.PACKET_FANOUT_ROLLOVER;
export const PACKET_FANOUT_RND: number | undefined = c.PACKET_FANOUT_RND;
export const PACKET_FANOUT_QM: number | undefined = c.PACKET_FANOUT_QM;
export const PACKET_FANOUT_CBPF: number | undefined = c.PACKET_FANOUT_CBPF;
export const PACKET_FANOUT_EBPF: number | undefined = c.PACKET_FANOUT_EBPF;
export const PACKET_FANOUT_FLAG_ROLLOVER: number | undefined = c.PACKET_FANOUT_FLAG_ROLLOVER;
export const PACKET_FANOUT_FLAG_UNIQUEID: number | undefined = c.PACKET_FANOUT_FLAG_UNIQUEID;
export const PACKET_FANOUT_FLAG_DEFRAG: number | undefined = c.PACKET_FANOUT_FLAG_DEFRAG;

// Ethernet sizes and EtherTypes, host order: sll_protocol; socket(AF_PACKET, type, htons(ETH_P_...)) (Linux <linux/if_ether.h>)
export const ETH_ALEN: number | undefined = c.ETH_ALEN;
export const ETH_HLEN: number | undefined = c.ETH_HLEN;
export const ETH_P_ALL: number | undefined = c.ETH_P_ALL;
export const ETH_P_802_3: number | undefined = c.ETH_P_802_3;
export const ETH_P_802_2: number | undefined = c.ETH_P_802_2;
export const ETH_P_LOOP: number | undefined = c.ETH_P_LOOP;
export const ETH_P_IP: number | undefined = c.ETH_P_IP;
export const ETH_P_ARP: number | undefined = c.ETH_P_ARP;
export const ETH_P_RARP: number | undefined = c.ETH_P_RARP;
export const ETH_P_8021Q: number | undefined = c.ETH_P_8021Q;
export const ETH_P_8021AD: number | undefined = c.ETH_P_8021AD;
export const ETH_P_IPV6: number | undefined = c.ETH_P_IPV6;
export const ETH_P_PPP_SES: number | undefined = c.ETH_P_PPP_SES;
export const ETH_P_MPLS_UC: number | undefined = c.ETH_P_MPLS_UC;
export const ETH_P_PAE: number | undefined = c.ETH_P_PAE;
export const ETH_P_LLDP: number | undefined = c.ETH_P_LLDP;
export const ETH_P_802_EX1: number | undefined = c.ETH_P_802_EX1;

// ARP hardware types (sockaddr_ll.sll_hatype, Linux <net/if_arp.h>)
export const ARPHRD_NETROM: number | undefined = c.ARPHRD_NETROM;
export const ARPHRD_ETHER: number | undefined = c.ARPHRD_ETHER;
export const ARPHRD_IEEE802: number | undefined = c.ARPHRD_IEEE802;
export const ARPHRD_INFINIBAND: number | undefined = c.ARPHRD_INFINIBAND;
export const ARPHRD_PPP: number | undefined = c.ARPHRD_PPP;
export const ARPHRD_TUNNEL: number | undefined = c.ARPHRD_TUNNEL;
export const ARPHRD_TUNNEL6: number | undefined = c.ARPHRD_TUNNEL6;
export const ARPHRD_LOOPBACK: number | undefined = c.ARPHRD_LOOPBACK;
export const ARPHRD_SIT: number | undefined = c.ARPHRD_SIT;
export const ARPHRD_IPGRE: number | undefined = c.ARPHRD_IPGRE;
export const ARPHRD_IEEE80211: number | undefined = c.ARPHRD_IEEE80211;
export const ARPHRD_NONE: number | undefined = c.ARPHRD_NONE;
export const ARPHRD_VOID: number | undefined = c.ARPHRD_VOID;

// vsock addresses (sockaddr_vm, Linux <linux/vm_sockets.h>)
export const VMADDR_CID_ANY: number | undefined = c.VMADDR_CID_ANY;
export const VMADDR_CID_HYPERVISOR: number | undefined = c.VMADDR_CID_HYPERVISOR;
export const VMADDR_CID_LOCAL: number | undefined = c.VMADDR_CID_LOCAL;
export const VMADDR_CID_HOST: number | undefined = c.VMADDR_CID_HOST;
export const VMADDR_PORT_ANY: number | undefined = c.VMADDR_PORT_ANY;
export const VMADDR_FLAG_TO_HOST: number | undefined = c.VMADDR_FLAG_TO_HOST;
// END GENERATED

/** The groups constantName() and flagNames() look in, by the prefix of their names. */
export type ConstantGroup =
  | 'AF' | 'PF' | 'SOCK' | 'SOL' | 'SO' | 'SCM' | 'IPPROTO' | 'IP' | 'IPV6' | 'TCP' | 'UDP'
  | 'MSG' | 'SHUT' | 'AI' | 'NI' | 'EAI' | 'INADDR' | 'POLL' | 'F' | 'FD' | 'O' | 'IFF';

// Names that share a prefix with a group but are values of something else
// (IP_PMTUDISC_* are values of IP_MTU_DISCOVER, not option names;
// TCP_ESTABLISHED... and TCP_CA_* are TCP_INFO's state values; SO_ORIGINAL_DST
// is an option at level SOL_IP).
const NOT_IN_GROUP =
  /^(SO_EE_|IPV?6?_PMTUDISC_|IP_DEFAULT_|IP_MAX_|NI_MAX|EAI_MAX|AF_MAX|PF_MAX|SO_ORIGINAL_DST|TCP_CA_|TCP_(ESTABLISHED|SYN_SENT|SYN_RECV|FIN_WAIT1|FIN_WAIT2|TIME_WAIT|CLOSE|CLOSE_WAIT|LAST_ACK|LISTEN|CLOSING)$)/;

const byGroup = new Map<string, Map<number, string>>();
for (const [name, value] of Object.entries(c)) {
  if (NOT_IN_GROUP.test(name)) continue;
  const group = name.startsWith('POLL') ? 'POLL' : name.slice(0, name.indexOf('_'));
  let names = byGroup.get(group);
  if (!names) byGroup.set(group, (names = new Map()));
  // The first name wins, so the usual spelling is kept (AF_UNIX over AF_LOCAL).
  if (!names.has(value)) names.set(value, name);
}

/**
 * The name of `value` in a group: constantName('AF', 2) === 'AF_INET',
 * constantName('SO', 2) === 'SO_REUSEADDR' on Linux. undefined when the
 * platform has no such constant.
 */
export function constantName(group: ConstantGroup, value: number): string | undefined {
  return byGroup.get(group)?.get(value);
}

/**
 * The names of the bits set in a flag mask, smallest bit first, with any
 * bits the platform has no name for as a hex number:
 * flagNames('MSG', MSG_PEEK | MSG_DONTWAIT) -> ['MSG_PEEK', 'MSG_DONTWAIT'].
 */
export function flagNames(group: ConstantGroup, mask: number): string[] {
  const names: string[] = [];
  let rest = mask >>> 0;
  for (let bit = 1; rest !== 0 && bit <= 0x80000000; bit = bit * 2) {
    if ((rest & bit) === 0) continue;
    const name = constantName(group, bit);
    if (name === undefined) continue;
    names.push(name);
    rest = (rest & ~bit) >>> 0;
  }
  if (rest !== 0) names.push('0x' + rest.toString(16));
  return names;
}
