/* The C reference for `npm run bench`: plain blocking calls (and poll() for
 * the many-connection server), the same workloads and wire protocol as
 * bench/peer.ts. Usage:
 *   bench server <workload> <addr>        addr: a port on 127.0.0.1, or a unix path
 *   bench client <workload> <addr> <arg>  arg: seconds (or a count for "connect"/"fanin")
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
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MSG 64
#define BULK (64 * 1024)

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
    if (!strcmp(role, "micro")) { micro_eagain((long)(argc > 3 ? atof(argv[3]) : 1e6)); return 0; }
    if (!strcmp(role, "server")) {
        if (!strcmp(w, "udp")) { int fd = listener(addr, SOCK_DGRAM); printf("ready\n"); serve_udp(fd, 0.3); return 0; }
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
    else if (!strcmp(w, "connect")) client_connect(addr, (long)arg);
    else if (!strcmp(w, "fanin")) client_fanin(addr, (long)arg, argc > 5 ? atol(argv[5]) : 20);
    return 0;
}
