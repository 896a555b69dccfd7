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
export const AF_PACKET: number | undefined = c.AF_PACKET;
export const AF_NETLINK: number | undefined = c.AF_NETLINK;
export const AF_ROUTE: number | undefined = c.AF_ROUTE;
export const AF_LINK: number | undefined = c.AF_LINK;
export const AF_SYSTEM: number | undefined = c.AF_SYSTEM;
export const AF_NDRV: number | undefined = c.AF_NDRV;
export const AF_VSOCK: number | undefined = c.AF_VSOCK;
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
// END GENERATED

/** The groups constantName() and flagNames() look in, by the prefix of their names. */
export type ConstantGroup =
  | 'AF' | 'PF' | 'SOCK' | 'SOL' | 'SO' | 'SCM' | 'IPPROTO' | 'IP' | 'IPV6' | 'TCP' | 'UDP'
  | 'MSG' | 'SHUT' | 'AI' | 'NI' | 'EAI' | 'INADDR' | 'POLL' | 'F' | 'FD' | 'O';

// Names that share a prefix with a group but are values of something else
// (IP_PMTUDISC_* are values of IP_MTU_DISCOVER, not option names).
const NOT_IN_GROUP = /^(SO_EE_|IPV?6?_PMTUDISC_|IP_DEFAULT_|IP_MAX_|NI_MAX|EAI_MAX|AF_MAX|PF_MAX)/;

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
