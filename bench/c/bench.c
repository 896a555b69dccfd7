/* The C reference for `npm run bench`: plain blocking calls (and poll() for
 * the many-connection server), the same workloads and wire protocol as
 * bench/peer.ts. Usage:
 *   bench server <workload> <addr>        addr: a port on 127.0.0.1, or a unix path
 *   bench client <workload> <addr> <arg>  arg: seconds (or a count for "connect"/"fanin")
 *   bench micro eagain|sendmsg <count>
 * The datagram floods: "flood" is the plain per-datagram loop (recvfrom or
 * sendto, one call a datagram), "flood-mmsg" the batched one (recvmmsg with
 * MSG_WAITFORONE or sendmmsg, FLOOD_BATCH datagrams a call).
 * Prints one JSON line with what it measured. Build: cc -O2 -o bench bench.c */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MSG 64
#define BULK (64 * 1024)
/* The floods: datagrams per recvmmsg/sendmmsg, the room per datagram a
 * receiver offers, and every receiver's SO_RCVBUF (net.core.rmem_max's
 * default of 4 MiB here; the kernel doubles it). */
#define FLOOD_BATCH 64
#define FLOOD_ROOM 2048
#define FLOOD_RCVBUF (4 << 20)

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what) { perror(what); exit(1); }

static int is_unix(const char *addr) { return addr[0] == '/'; }

static socklen_t make_addr(const char *addr, struct sockaddr_storage *ss) {
    memset(ss, 0, sizeof *ss);
    if (is_unix(addr)) {
        struct sockaddr_un *sun = (struct sockaddr_un *)ss;
        sun->sun_family = AF_UNIX;
        strncpy(sun->sun_path, addr, sizeof sun->sun_path - 1);
        return sizeof *sun;
    }
    struct sockaddr_in *sin = (struct sockaddr_in *)ss;
    sin->sin_family = AF_INET;
    sin->sin_port = htons(atoi(addr));
    sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sizeof *sin;
}

static int listener(const char *addr, int type) {
    struct sockaddr_storage ss;
    socklen_t len = make_addr(addr, &ss);
    int fd = socket(ss.ss_family, type, 0);
    if (fd < 0) die("socket");
    int on = 1;
    if (!is_unix(addr)) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (is_unix(addr)) unlink(addr);
    if (bind(fd, (struct sockaddr *)&ss, len) < 0) die("bind");
    if (type == SOCK_STREAM && listen(fd, 4096) < 0) die("listen");
    return fd;
}

static int connect_to(const char *addr, int type) {
    struct sockaddr_storage ss;
    socklen_t len = make_addr(addr, &ss);
    int fd = socket(ss.ss_family, type, 0);
    if (fd < 0) die("socket");
    if (connect(fd, (struct sockaddr *)&ss, len) < 0) die("connect");
    if (!is_unix(addr) && type == SOCK_STREAM) {
        int on = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    }
    return fd;
}

/* Reads exactly n bytes; 0 at EOF. */
static int read_full(int fd, char *buf, int n) {
    int got = 0;
    while (got < n) {
        ssize_t r = recv(fd, buf + got, n - got, 0);
        if (r == 0) return 0;
        if (r < 0) { if (errno == EINTR) continue; die("recv"); }
        got += r;
    }
    return got;
}

static void serve_echo(int lfd) {
    int fd = accept(lfd, NULL, NULL);
    if (fd < 0) die("accept");
    int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    char buf[MSG];
    while (read_full(fd, buf, MSG) == MSG) send(fd, buf, MSG, MSG_NOSIGNAL);
    close(fd);
}

static void serve_bulk(int lfd) {
    int fd = accept(lfd, NULL, NULL);
    static char buf[BULK];
    double first = 0, last = 0;
    long long total = 0;
    for (;;) {
        ssize_t r = recv(fd, buf, sizeof buf, 0);
        if (r <= 0) break;
        if (total == 0) first = now();
        total += r;
        last = now();
    }
    printf("{\"bytes\":%lld,\"seconds\":%.6f}\n", total, last - first);
    close(fd);
}

static void serve_udp(int fd, double idle) {
    char buf[2048];
    struct pollfd p = {fd, POLLIN, 0};
    double first = 0, last = 0;
    long long n = 0;
    for (;;) {
        if (poll(&p, 1, n == 0 ? 30000 : (int)(idle * 1000)) <= 0) break;
        if (recv(fd, buf, sizeof buf, 0) < 0) continue;
        if (n == 0) first = now();
        n++;
        last = now();
    }
    printf("{\"received\":%lld,\"seconds\":%.6f}\n", n, last - first);
}

static void serve_accept(int lfd, long count) {
    for (long i = 0; i < count; i++) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0) die("accept");
        close(fd);
    }
}

/* Many connections, one process: poll() and echo each 64-byte message. */
static void serve_fanin(int lfd, int conns) {
    struct pollfd *p = calloc(conns + 1, sizeof *p);
    int n = 0;
    while (n < conns) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0) die("accept");
        int on = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        p[n].fd = fd;
        p[n].events = POLLIN;
        n++;
    }
    char buf[MSG];
    int open = conns;
    while (open > 0) {
        if (poll(p, conns, -1) < 0) { if (errno == EINTR) continue; die("poll"); }
        for (int i = 0; i < conns; i++) {
            if (p[i].fd < 0 || !p[i].revents) continue;
            if (read_full(p[i].fd, buf, MSG) != MSG) { close(p[i].fd); p[i].fd = -1; open--; continue; }
            send(p[i].fd, buf, MSG, MSG_NOSIGNAL);
        }
    }
}

static void client_pingpong(const char *addr, double seconds) {
    int fd = connect_to(addr, SOCK_STREAM);
    char buf[MSG];
    memset(buf, 'x', sizeof buf);
    for (int i = 0; i < 1000; i++) { send(fd, buf, MSG, MSG_NOSIGNAL); read_full(fd, buf, MSG); }
    long long n = 0;
    double start = now(), end = start + seconds, t = start;
    while (t < end) {
        for (int i = 0; i < 100; i++) { send(fd, buf, MSG, MSG_NOSIGNAL); read_full(fd, buf, MSG); }
        n += 100;
        t = now();
    }
    printf("{\"ops\":%lld,\"seconds\":%.6f}\n", n, t - start);
    close(fd);
}

static void client_pingpong_count(const char *addr, long count) {
    int fd = connect_to(addr, SOCK_STREAM);
    char buf[MSG];
    memset(buf, 'x', sizeof buf);
    double start = now();
    for (long i = 0; i < count; i++) { send(fd, buf, MSG, MSG_NOSIGNAL); read_full(fd, buf, MSG); }
    printf("{\"ops\":%ld,\"seconds\":%.6f}\n", count, now() - start);
    close(fd);
}

static void client_bulk(const char *addr, double seconds) {
    int fd = connect_to(addr, SOCK_STREAM);
    static char buf[BULK];
    memset(buf, 'b', sizeof buf);
    long long total = 0, limit = 1LL << 30;
    double end = now() + seconds;
    while (total < limit && now() < end) {
        for (int i = 0; i < 16; i++) {
            ssize_t r = send(fd, buf, sizeof buf, MSG_NOSIGNAL);
            if (r < 0) die("send");
            total += r;
        }
    }
    printf("{\"bytes\":%lld}\n", total);
    close(fd);
}

static void client_udp(const char *addr, double seconds) {
    struct sockaddr_storage ss;
    socklen_t len = make_addr(addr, &ss);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    char buf[MSG];
    memset(buf, 'u', sizeof buf);
    long long n = 0;
    double end = now() + seconds;
    while (now() < end) {
        for (int i = 0; i < 64; i++) {
            if (sendto(fd, buf, MSG, 0, (struct sockaddr *)&ss, len) == MSG) n++;
        }
    }
    printf("{\"sent\":%lld}\n", n);
    close(fd);
}

static void client_connect(const char *addr, long count) {
    struct sockaddr_storage ss;
    socklen_t len = make_addr(addr, &ss);
    double start = now();
    for (long i = 0; i < count; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *)&ss, len) < 0) die("connect");
        close(fd);
    }
    printf("{\"ops\":%ld,\"seconds\":%.6f}\n", count, now() - start);
}

/* The many-connection client: conns connections, each doing `rounds` round trips. */
static void client_fanin(const char *addr, long conns, long rounds) {
    int *fds = calloc(conns, sizeof *fds);
    for (long i = 0; i < conns; i++) fds[i] = connect_to(addr, SOCK_STREAM);
    struct pollfd *p = calloc(conns, sizeof *p);
    char buf[MSG];
    memset(buf, 'f', sizeof buf);
    long *left = calloc(conns, sizeof *left);
    double start = now();
    for (long i = 0; i < conns; i++) {
        p[i].fd = fds[i];
        p[i].events = POLLIN;
        left[i] = rounds;
        send(fds[i], buf, MSG, MSG_NOSIGNAL);
    }
    long active = conns;
    while (active > 0) {
        if (poll(p, conns, -1) < 0) { if (errno == EINTR) continue; die("poll"); }
        for (long i = 0; i < conns; i++) {
            if (p[i].fd < 0 || !p[i].revents) continue;
            if (read_full(p[i].fd, buf, MSG) != MSG) die("short read");
            if (--left[i] == 0) { close(p[i].fd); p[i].fd = -1; active--; continue; }
            send(p[i].fd, buf, MSG, MSG_NOSIGNAL);
        }
    }
    printf("{\"ops\":%ld,\"seconds\":%.6f}\n", conns * rounds, now() - start);
}

static void set_rcvtimeo(int fd, double seconds) {
    struct timeval tv = {(time_t)seconds, (suseconds_t)((seconds - (time_t)seconds) * 1e6)};
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0) die("SO_RCVTIMEO");
}

/* A flood receiver: counts datagrams until none has come for `idle` seconds
 * (SO_RCVTIMEO, so each datagram costs one call and nothing else). Batched:
 * recvmmsg with MSG_WAITFORONE, which blocks for the first datagram only and
 * then takes what is queued, up to FLOOD_BATCH. */
static void serve_flood(const char *addr, int batched, double idle) {
    int fd = listener(addr, SOCK_DGRAM);
    int size = FLOOD_RCVBUF;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size) < 0) die("SO_RCVBUF");
    set_rcvtimeo(fd, 30);
    printf("ready\n");
    static char buf[FLOOD_BATCH][FLOOD_ROOM];
    struct mmsghdr hdr[FLOOD_BATCH];
    struct iovec iov[FLOOD_BATCH];
    struct sockaddr_storage from[FLOOD_BATCH];
    double first = 0, last = 0;
    long long n = 0, calls = 0;
    for (;;) {
        int got;
        if (batched) {
            for (int i = 0; i < FLOOD_BATCH; i++) {
                iov[i].iov_base = buf[i];
                iov[i].iov_len = FLOOD_ROOM;
                memset(&hdr[i].msg_hdr, 0, sizeof hdr[i].msg_hdr);
                hdr[i].msg_hdr.msg_iov = &iov[i];
                hdr[i].msg_hdr.msg_iovlen = 1;
                hdr[i].msg_hdr.msg_name = &from[i];
                hdr[i].msg_hdr.msg_namelen = sizeof from[i];
            }
            got = recvmmsg(fd, hdr, FLOOD_BATCH, MSG_WAITFORONE, NULL);
        } else {
            socklen_t len = sizeof from[0];
            got = recvfrom(fd, buf[0], FLOOD_ROOM, 0, (struct sockaddr *)&from[0], &len) < 0 ? -1 : 1;
        }
        if (got < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) break; /* idle: the sender is done */
            die("recv");
        }
        if (n == 0) { first = now(); set_rcvtimeo(fd, idle); }
        n += got;
        calls++;
        last = now();
    }
    printf("{\"received\":%lld,\"calls\":%lld,\"seconds\":%.6f}\n", n, calls, last - first);
    close(fd);
}

/* A flood sender: MSG-byte datagrams to addr for `seconds`, one sendto each
 * or FLOOD_BATCH a sendmmsg, all to the address given per message as a
 * server answering many peers would (no connect). */
static void client_flood(const char *addr, double seconds, int batched) {
    struct sockaddr_storage ss;
    socklen_t len = make_addr(addr, &ss);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) die("socket");
    char buf[MSG];
    memset(buf, 'f', sizeof buf);
    struct mmsghdr hdr[FLOOD_BATCH];
    struct iovec iov = {buf, MSG};
    for (int i = 0; i < FLOOD_BATCH; i++) {
        memset(&hdr[i], 0, sizeof hdr[i]);
        hdr[i].msg_hdr.msg_iov = &iov;
        hdr[i].msg_hdr.msg_iovlen = 1;
        hdr[i].msg_hdr.msg_name = &ss;
        hdr[i].msg_hdr.msg_namelen = len;
    }
    long long n = 0;
    double start = now(), end = start + seconds, t = start;
    while (t < end) {
        if (batched) {
            int r = sendmmsg(fd, hdr, FLOOD_BATCH, 0);
            if (r > 0) n += r;
        } else {
            for (int i = 0; i < FLOOD_BATCH; i++)
                if (sendto(fd, buf, MSG, 0, (struct sockaddr *)&ss, len) == MSG) n++;
        }
        t = now();
    }
    printf("{\"sent\":%lld,\"seconds\":%.6f}\n", n, t - start);
    close(fd);
}

/* sendmsg with 3 iov entries against one send of the same bytes, on an
 * AF_UNIX SOCK_DGRAM socketpair (as bench/msg.ts measures them): only the
 * sends are timed, in rounds of SENDMSG_ROUND that alternate between the
 * two so a slow spell of the machine touches both; after each round the
 * reader drains, untimed. */
#define SENDMSG_ROUND 256
static void send_round(int a, int b, const struct msghdr *m, const char *whole, size_t size, double *total) {
    char sink[4096];
    double t0 = now();
    for (int i = 0; i < SENDMSG_ROUND; i++) {
        ssize_t r = m ? sendmsg(a, m, 0) : send(a, whole, size, 0);
        if (r != (ssize_t)size) die("send");
    }
    *total += now() - t0;
    for (int i = 0; i < SENDMSG_ROUND; i++)
        if (recv(b, sink, sizeof sink, 0) != (ssize_t)size) die("recv");
}

static void micro_sendmsg(long count) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) < 0) die("socketpair");
    int size = FLOOD_RCVBUF;
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    printf("{");
    /* The shapes bench/msg.ts uses: header, body, trailer. */
    static const size_t shapes[][3] = {{16, 32, 16}, {64, 1024, 64}};
    for (int s = 0; s < 2; s++) {
        static char part[3][2048], whole[4096];
        struct iovec iov[3];
        size_t bytes = 0;
        for (int i = 0; i < 3; i++) {
            memset(part[i], 'a' + i, shapes[s][i]);
            iov[i].iov_base = part[i];
            iov[i].iov_len = shapes[s][i];
            memcpy(whole + bytes, part[i], shapes[s][i]);
            bytes += shapes[s][i];
        }
        struct msghdr m;
        memset(&m, 0, sizeof m);
        m.msg_iov = iov;
        m.msg_iovlen = 3;
        double one = 0, three = 0, warm = 0;
        for (long done = 0; done < count / 10; done += SENDMSG_ROUND) {
            send_round(sv[0], sv[1], NULL, whole, bytes, &warm);
            send_round(sv[0], sv[1], &m, whole, bytes, &warm);
        }
        for (long done = 0; done < count; done += SENDMSG_ROUND) {
            send_round(sv[0], sv[1], NULL, whole, bytes, &one);
            send_round(sv[0], sv[1], &m, whole, bytes, &three);
        }
        long sent = (count + SENDMSG_ROUND - 1) / SENDMSG_ROUND * SENDMSG_ROUND;
        printf("%s\"send%zu\":%.1f,\"sendmsg%zu\":%.1f", s ? "," : "", bytes, one / sent * 1e9, bytes, three / sent * 1e9);
    }
    printf("}\n");
    close(sv[0]);
    close(sv[1]);
}

/* Cost of one call that fails at once: recv(MSG_DONTWAIT) on an empty socket. */
static void micro_eagain(long count) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    char buf[MSG];
    double start = now();
    for (long i = 0; i < count; i++) {
        if (recv(sv[0], buf, sizeof buf, MSG_DONTWAIT) != -1 || errno != EAGAIN) die("recv");
    }
    printf("{\"ops\":%ld,\"seconds\":%.6f}\n", count, now() - start);
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: bench server|client|micro workload [addr] [arg]\n"); return 2; }
    const char *role = argv[1], *w = argv[2], *addr = argc > 3 ? argv[3] : "";
    double arg = argc > 4 ? atof(argv[4]) : 2;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!strcmp(role, "micro")) {
        long count = (long)(argc > 3 ? atof(argv[3]) : 1e6);
        if (!strcmp(w, "sendmsg")) micro_sendmsg(count);
        else micro_eagain(count);
        return 0;
    }
    if (!strcmp(role, "server")) {
        if (!strcmp(w, "udp")) { int fd = listener(addr, SOCK_DGRAM); printf("ready\n"); serve_udp(fd, 0.3); return 0; }
        if (!strcmp(w, "flood") || !strcmp(w, "flood-mmsg")) { serve_flood(addr, w[5] != 0, 0.3); return 0; }
        int lfd = listener(addr, SOCK_STREAM);
        printf("ready\n");
        if (!strcmp(w, "pingpong") || !strcmp(w, "pingpong-count")) serve_echo(lfd);
        else if (!strcmp(w, "bulk")) serve_bulk(lfd);
        else if (!strcmp(w, "connect")) serve_accept(lfd, (long)arg);
        else if (!strcmp(w, "fanin")) serve_fanin(lfd, (int)arg);
        if (is_unix(addr)) unlink(addr);
        return 0;
    }
    if (!strcmp(w, "pingpong")) client_pingpong(addr, arg);
    else if (!strcmp(w, "pingpong-count")) client_pingpong_count(addr, (long)arg);
    else if (!strcmp(w, "bulk")) client_bulk(addr, arg);
    else if (!strcmp(w, "udp")) client_udp(addr, arg);
    else if (!strcmp(w, "flood") || !strcmp(w, "flood-mmsg")) client_flood(addr, arg, w[5] != 0);
    else if (!strcmp(w, "connect")) client_connect(addr, (long)arg);
    else if (!strcmp(w, "fanin")) client_fanin(addr, (long)arg, argc > 5 ? atol(argv[5]) : 20);
    return 0;
}
