// posix-sockets: the real POSIX socket calls from TypeScript. Public exports only.
export * from './constants';
export { SocketError, AbortError, strerror, errnoName } from './errors';
export type { ErrorTarget } from './errors';
export type { WaitOptions } from './validate';
export {
  sockaddrToBytes,
  sockaddrFromBytes,
  inet_pton,
  inet_ntop,
} from './sockaddr';
export type {
  Sockaddr,
  SockaddrIn,
  SockaddrIn6,
  SockaddrUn,
  SockaddrUnspec,
  SockaddrNl,
  SockaddrLl,
  SockaddrVm,
  SockaddrRaw,
  SockaddrRawInput,
  SockaddrInput,
  OtherFamily,
} from './sockaddr';
export { htons, ntohs, htonl, ntohl } from './byteorder';
export { socket, socketpair, close, release, fcntl, setNonBlocking, isNonBlocking } from './fd';
export { bind, listen, shutdown, getsockname, getpeername, setsockopt, getsockopt } from './calls';
export { sockopt, tcpStateName, BPF_STMT, BPF_JUMP } from './sockopt';
export type {
  SockoptDescriptor,
  GetSockopt,
  SetSockopt,
  Sockopt,
  Linger,
  Timeval,
  Ucred,
  Xucred,
  TcpInfo,
  IpMreqn,
  Ipv6Mreq,
  GroupReq,
  GroupSourceReq,
  BpfInstruction,
} from './sockopt';
export { dup, dup2, dup3 } from './fd';
export { ioctl, sockatmark } from './calls';
export { sendfile, sendfileSync } from './sendfile';
export { accept, acceptSync } from './accept';
export type { AcceptResult, AcceptOptions } from './accept';
export { connect, connectSync } from './connect';
export {
  send,
  sendSync,
  recv,
  recvSync,
  recvInto,
  recvIntoSync,
  sendto,
  sendtoSync,
  recvfrom,
  recvfromSync,
  read,
  readSync,
  write,
  writeSync,
} from './io';
export type { RecvfromResult } from './io';
export {
  sendmsg,
  sendmsgSync,
  recvmsg,
  recvmsgSync,
  recvmsgInto,
  recvmsgIntoSync,
  sendFds,
  sendFdsSync,
  recvFds,
  recvFdsSync,
  sendmmsg,
  sendmmsgSync,
  recvmmsg,
  recvmmsgSync,
} from './msg';
export type { Msghdr, RecvmsgResult, RecvmsgIntoResult, RecvFdsResult } from './msg';
export { CMSG_SPACE, CMSG_LEN } from './cmsg';
export type {
  Cmsg,
  CmsgInput,
  CmsgRaw,
  CmsgRights,
  CmsgCredentials,
  CmsgPktinfo,
  CmsgPktinfo6,
  CmsgValue,
  CmsgTimestamp,
  CmsgRecverr,
  CmsgOrigDstAddr,
} from './cmsg';
export { poll } from './poll';
export type { PollFd } from './poll';
export { getaddrinfo, getnameinfo, gethostbyname, gethostbyaddr } from './resolver';
export type { AddrInfo, AddrInfoHints, NameInfo, Hostent, HostentOptions } from './resolver';
export {
  getservbyname,
  getservbyport,
  getprotobyname,
  getprotobynumber,
  inet_aton,
  inet_addr,
  inet_ntoa,
  if_nameindex,
  getifaddrs,
} from './netdb';
export type { Servent, Protoent, IfNameIndex, Ifaddr } from './netdb';
export { gethostname, if_nametoindex, if_indextoname } from './system';
export { trace, tracing, formatSockaddr } from './trace';
export type { TraceSink } from './trace';
export { toNetSocket, toNetServer, toDgramSocket } from './handoff';
export type { ToNetSocketOptions, ToNetServerOptions, ToDgramSocketOptions } from './handoff';
export { Socket } from './socket';
