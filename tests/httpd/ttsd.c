/* SPDX-License-Identifier: MIT */
/*
 * ttsd: a tiny HTTP/1.1 server for the list-update and time-stamp tests.
 * It binds 127.0.0.1 on an ephemeral port, prints "PORT\n" on stdout, and
 * serves files of one directory plus the failure modes the fetcher must
 * survive:
 *
 *   /f/NAME            200 with the file, ETag and Last-Modified; 304 when
 *                      If-None-Match or If-Modified-Since matches
 *   /missing           404
 *   /flaky/N/NAME      500 for the first N requests to this path, then /f/NAME
 *   /loop              302 to itself (a redirect loop)
 *   /moved/NAME        302 to /f/NAME
 *   /slow              headers, a few bytes, then silence for 5 s
 *   /big               an endless body (Content-Length 1 GiB)
 *   /truncated         Content-Length 100000, 100 bytes, then close
 *   /close/NAME        the file with neither Content-Length nor chunking: the
 *                      closed connection alone ends it
 *   /cut/NAME          the same, cut after its second-to-last line (a row
 *                      boundary), as an on-path attacker or a dropped link
 *                      would leave it
 *   /chunked/NAME      the file in chunked encoding (complete)
 *   /quit              200, then the server exits
 *
 * With a second argument, the OpenSSL configuration of a test time-stamp
 * authority (tests/httpd/tsa.cnf; its files in $TTS_TSA_DIR), POSTs of
 * RFC 3161 queries are answered by running `openssl ts -reply` on them:
 *
 *   /tsa               the authority's reply
 *   /tsa/500           500 (every time)
 *   /tsa/garbage       200 with a body that is not a time-stamp response
 *   /tsa/nonce         a reply to the query with its nonce changed
 *   /tsa/imprint       a reply to the query with its message imprint changed
 *   /tsa/reject        a rejection (the query's digest made inconsistent)
 *
 * Single process; /slow is served by a child so the server keeps
 * answering. It exits after 120 s without a request, on SIGTERM, or on
 * /quit. Test-only code: never built into the product.
 */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_FLAKY 16

static const char *root;
static const char *tsa_conf; /* NULL: no time-stamp authority */
static struct {
    char path[512];
    int seen;
} flaky[MAX_FLAKY];

static void put(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, s, n);
        if (k <= 0)
            return;
        s += k;
        n -= (size_t)k;
    }
}

static void status_only(int fd, int code, const char *reason, const char *extra)
{
    char h[1024];
    int n = snprintf(h, sizeof(h),
                     "HTTP/1.1 %d %s\r\nContent-Length: 0\r\nConnection: close\r\n%s\r\n", code,
                     reason, extra != NULL ? extra : "");
    put(fd, h, (size_t)n);
}

/* Header value of `name` in the request, copied into out; 0 when absent. */
static int header(const char *req, const char *name, char *out, size_t cap)
{
    const char *p = req;
    size_t nl = strlen(name);
    while ((p = strstr(p, "\r\n")) != NULL) {
        p += 2;
        if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1, *e;
            while (*v == ' ')
                v++;
            e = strstr(v, "\r\n");
            if (e == NULL || (size_t)(e - v) >= cap)
                return 0;
            memcpy(out, v, (size_t)(e - v));
            out[e - v] = '\0';
            return 1;
        }
    }
    return 0;
}

static void serve_file(int fd, const char *name, const char *req)
{
    char path[1024], etag[128], inm[256], ims[256], h[1024];
    const char *lm = "Wed, 01 Jan 2025 00:00:00 GMT";
    struct stat st;
    FILE *fp;
    char buf[8192];
    size_t k;
    int n;
    if (strstr(name, "..") != NULL || strchr(name, '/') != NULL) {
        status_only(fd, 403, "Forbidden", NULL);
        return;
    }
    snprintf(path, sizeof(path), "%s/%s", root, name);
    if (stat(path, &st) != 0 || (fp = fopen(path, "rb")) == NULL) {
        status_only(fd, 404, "Not Found", NULL);
        return;
    }
    snprintf(etag, sizeof(etag), "\"%lld-%lld\"", (long long)st.st_size,
             (long long)st.st_mtime);
    if ((header(req, "If-None-Match", inm, sizeof(inm)) && strcmp(inm, etag) == 0) ||
        (!header(req, "If-None-Match", inm, sizeof(inm)) &&
         header(req, "If-Modified-Since", ims, sizeof(ims)) && strcmp(ims, lm) == 0)) {
        char extra[256];
        snprintf(extra, sizeof(extra), "ETag: %s\r\nLast-Modified: %s\r\n", etag, lm);
        status_only(fd, 304, "Not Modified", extra);
        fclose(fp);
        return;
    }
    n = snprintf(h, sizeof(h),
                 "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: %lld\r\n"
                 "ETag: %s\r\nLast-Modified: %s\r\nConnection: close\r\n\r\n",
                 (long long)st.st_size, etag, lm);
    put(fd, h, (size_t)n);
    while ((k = fread(buf, 1, sizeof(buf), fp)) > 0)
        put(fd, buf, k);
    fclose(fp);
}

/*
 * The file `name` without framing (mode 'c': close-delimited, 'x': cut
 * before its last line) or chunked ('k'), ending with the connection.
 */
static void serve_framed(int fd, const char *name, int mode)
{
    char path[1024], buf[1 << 16], h[64];
    FILE *fp;
    size_t n;
    const char *head = mode == 'k' ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                                     "Connection: close\r\n\r\n"
                                   : "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n";
    if (strstr(name, "..") != NULL || strchr(name, '/') != NULL) {
        status_only(fd, 403, "Forbidden", NULL);
        return;
    }
    snprintf(path, sizeof(path), "%s/%s", root, name);
    if ((fp = fopen(path, "rb")) == NULL) {
        status_only(fd, 404, "Not Found", NULL);
        return;
    }
    n = fread(buf, 1, sizeof(buf), fp);
    fclose(fp);
    if (mode == 'x') {
        /* drop the last line: back over its newline, then to the one before it */
        if (n > 0 && buf[n - 1] == '\n')
            n--;
        while (n > 0 && buf[n - 1] != '\n')
            n--;
    }
    put(fd, head, strlen(head));
    if (mode == 'k') {
        int k = snprintf(h, sizeof(h), "%zx\r\n", n);
        put(fd, h, (size_t)k);
        put(fd, buf, n);
        put(fd, "\r\n0\r\n\r\n", 7);
    } else {
        put(fd, buf, n);
    }
}

static int flaky_count(const char *path)
{
    for (int i = 0; i < MAX_FLAKY; i++) {
        if (flaky[i].path[0] == '\0') {
            snprintf(flaky[i].path, sizeof(flaky[i].path), "%s", path);
            return flaky[i].seen++;
        }
        if (strcmp(flaky[i].path, path) == 0)
            return flaky[i].seen++;
    }
    return 1000;
}

/* One DER TLV at p (n bytes): header length *hl and content length *cl; 0 when malformed. */
static int tlv(const unsigned char *p, size_t n, size_t *hl, size_t *cl)
{
    size_t k, len = 0;
    if (n < 2)
        return 0;
    if (p[1] < 0x80) {
        *hl = 2;
        *cl = p[1];
    } else {
        k = p[1] & 0x7f;
        if (k == 0 || k > 3 || n < 2 + k)
            return 0;
        for (size_t i = 0; i < k; i++)
            len = len << 8 | p[2 + i];
        *hl = 2 + k;
        *cl = len;
    }
    return *hl + *cl <= n;
}

/*
 * Offset of the byte of a DER TimeStampReq that `what` changes: the last
 * byte of the message imprint ('i'), of the nonce ('n') or of the digest
 * algorithm's OID ('a'); -1 when not found.
 */
static long query_byte(const unsigned char *q, size_t n, char what)
{
    size_t hl, cl, off, end, h2, c2, h3, c3;
    if (!tlv(q, n, &hl, &cl) || q[0] != 0x30)
        return -1;
    off = hl;
    end = hl + cl;
    for (int child = 0; off < end; child++) {
        if (!tlv(q + off, end - off, &h2, &c2))
            return -1;
        if (child == 1 && q[off] == 0x30) { /* messageImprint */
            if (what == 'i')
                return (long)(off + h2 + c2 - 1);
            if (what == 'a' && tlv(q + off + h2, c2, &h3, &c3) && /* AlgorithmIdentifier */
                tlv(q + off + h2 + h3, c3, &hl, &cl) && q[off + h2 + h3] == 0x06)
                return (long)(off + h2 + h3 + hl + cl - 1);
        }
        if (child > 1 && q[off] == 0x02 && what == 'n')
            return (long)(off + h2 + c2 - 1);
        off += h2 + c2;
    }
    return -1;
}

/* Answer a time-stamp query (body, n bytes) as `mode` ("", "nonce", "imprint", "reject"). */
static void serve_tsa(int fd, unsigned char *body, size_t n, const char *mode)
{
    char qpath[1024], rpath[1024], h[256];
    const char *dir = getenv("TTS_TSA_DIR");
    unsigned char buf[8192];
    FILE *fp;
    size_t k;
    long at = -1;
    pid_t pid;
    int st = -1, len;
    if (dir == NULL || tsa_conf == NULL) {
        status_only(fd, 404, "Not Found", NULL);
        return;
    }
    if (mode[0] != '\0') {
        at = query_byte(body, n, mode[0] == 'r' ? 'a' : mode[0]);
        if (at < 0) {
            status_only(fd, 400, "Bad Request", NULL);
            return;
        }
        body[at] ^= mode[0] == 'r' ? 0x02 : 0x01; /* SHA-256's OID becomes SHA-512's */
    }
    snprintf(qpath, sizeof(qpath), "%s/query.tsq", dir);
    snprintf(rpath, sizeof(rpath), "%s/reply.tsr", dir);
    unlink(rpath);
    if ((fp = fopen(qpath, "wb")) == NULL || fwrite(body, 1, n, fp) != n || fclose(fp) != 0) {
        status_only(fd, 500, "Internal Server Error", NULL);
        return;
    }
    signal(SIGCHLD, SIG_DFL);
    pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, 2);
        execlp("openssl", "openssl", "ts", "-reply", "-config", tsa_conf, "-queryfile", qpath,
               "-out", rpath, (char *)NULL);
        _exit(127);
    }
    if (pid > 0)
        waitpid(pid, &st, 0);
    signal(SIGCHLD, SIG_IGN);
    if (st != 0 || (fp = fopen(rpath, "rb")) == NULL) {
        status_only(fd, 500, "Internal Server Error", NULL);
        return;
    }
    k = fread(buf, 1, sizeof(buf), fp);
    fclose(fp);
    len = snprintf(h, sizeof(h),
                   "HTTP/1.1 200 OK\r\nContent-Type: application/timestamp-reply\r\n"
                   "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                   k);
    put(fd, h, (size_t)len);
    put(fd, (const char *)buf, k);
}

/* The request body after the headers (Content-Length bytes, at most cap); its length. */
static size_t read_body(int fd, const char *req, size_t len, unsigned char *body, size_t cap)
{
    char cl[32];
    const char *end = strstr(req, "\r\n\r\n");
    size_t want, have;
    if (end == NULL || !header(req, "Content-Length", cl, sizeof(cl)))
        return 0;
    want = (size_t)strtoul(cl, NULL, 10);
    if (want > cap)
        want = cap;
    have = len - (size_t)(end + 4 - req);
    if (have > want)
        have = want;
    memcpy(body, end + 4, have);
    while (have < want) {
        ssize_t k = read(fd, body + have, want - have);
        if (k <= 0)
            break;
        have += (size_t)k;
    }
    return have;
}

/* Serve one request; returns 1 when the server should exit, 2 when a child took the connection. */
static int handle(int fd)
{
    char req[8192], method[16], path[512];
    size_t len = 0;
    while (len < sizeof(req) - 1) {
        ssize_t k = read(fd, req + len, sizeof(req) - 1 - len);
        if (k <= 0)
            break;
        len += (size_t)k;
        req[len] = '\0';
        if (strstr(req, "\r\n\r\n") != NULL)
            break;
    }
    req[len] = '\0';
    if (sscanf(req, "%15s %511s", method, path) != 2) {
        status_only(fd, 400, "Bad Request", NULL);
        return 0;
    }
    if (strcmp(method, "POST") == 0 && strncmp(path, "/tsa", 4) == 0) {
        unsigned char body[8192];
        size_t n = read_body(fd, req, len, body, sizeof(body));
        const char *mode = path[4] == '/' ? path + 5 : "";
        const char *g = "HTTP/1.1 200 OK\r\nContent-Length: 12\r\nConnection: close\r\n\r\n"
                        "not a reply\n";
        if (strcmp(mode, "500") == 0)
            status_only(fd, 500, "Internal Server Error", NULL);
        else if (strcmp(mode, "garbage") == 0)
            put(fd, g, strlen(g));
        else if (n == 0 || (path[4] != '\0' && strcmp(mode, "nonce") != 0 &&
                            strcmp(mode, "imprint") != 0 && strcmp(mode, "reject") != 0))
            status_only(fd, 400, "Bad Request", NULL);
        else
            serve_tsa(fd, body, n, mode);
    } else if (strncmp(path, "/f/", 3) == 0) {
        serve_file(fd, path + 3, req);
    } else if (strcmp(path, "/missing") == 0) {
        status_only(fd, 404, "Not Found", NULL);
    } else if (strncmp(path, "/flaky/", 7) == 0) {
        char *slash = strchr(path + 7, '/');
        int fails = atoi(path + 7);
        if (slash == NULL)
            status_only(fd, 400, "Bad Request", NULL);
        else if (flaky_count(path) < fails)
            status_only(fd, 500, "Internal Server Error", NULL);
        else
            serve_file(fd, slash + 1, req);
    } else if (strcmp(path, "/loop") == 0) {
        status_only(fd, 302, "Found", "Location: /loop\r\n");
    } else if (strncmp(path, "/moved/", 7) == 0) {
        char extra[600];
        snprintf(extra, sizeof(extra), "Location: /f/%s\r\n", path + 7);
        status_only(fd, 302, "Found", extra);
    } else if (strcmp(path, "/slow") == 0) {
        if (fork() == 0) {
            const char *h = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\nid,";
            put(fd, h, strlen(h));
            sleep(5);
            _exit(0);
        }
        return 2;
    } else if (strcmp(path, "/big") == 0) {
        const char *h = "HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\nConnection: close\r\n\r\n";
        char chunk[65536];
        memset(chunk, 'x', sizeof(chunk));
        put(fd, h, strlen(h));
        for (int i = 0; i < 16384; i++) {
            ssize_t k = write(fd, chunk, sizeof(chunk));
            if (k <= 0)
                break;
        }
    } else if (strcmp(path, "/truncated") == 0) {
        const char *h = "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n";
        char body[100];
        memset(body, 'y', sizeof(body));
        put(fd, h, strlen(h));
        put(fd, body, sizeof(body));
    } else if (strncmp(path, "/close/", 7) == 0) {
        serve_framed(fd, path + 7, 'c');
    } else if (strncmp(path, "/cut/", 5) == 0) {
        serve_framed(fd, path + 5, 'x');
    } else if (strncmp(path, "/chunked/", 9) == 0) {
        serve_framed(fd, path + 9, 'k');
    } else if (strcmp(path, "/quit") == 0) {
        status_only(fd, 200, "OK", NULL);
        return 1;
    } else {
        status_only(fd, 404, "Not Found", NULL);
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct sockaddr_in a;
    socklen_t al = sizeof(a);
    int s, one = 1, quit = 0;
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: ttsd DIR [TSA_OPENSSL_CONFIG]\n");
        return 2;
    }
    root = argv[1];
    tsa_conf = argc == 3 ? argv[2] : NULL;
    signal(SIGPIPE, SIG_IGN);
    signal(SIGCHLD, SIG_IGN);
    s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0)
        return 2;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    if (bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(s, 16) != 0 ||
        getsockname(s, (struct sockaddr *)&a, &al) != 0) {
        perror("ttsd");
        return 2;
    }
    printf("%d\n", ntohs(a.sin_port));
    fflush(stdout);
    while (!quit) {
        struct pollfd p = {s, POLLIN, 0};
        int c, r = poll(&p, 1, 120000);
        if (r == 0)
            break;
        if (r < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        c = accept(s, NULL, NULL);
        if (c < 0)
            continue;
        quit = handle(c);
        if (quit != 2)
            shutdown(c, SHUT_WR);
        close(c);
        if (quit == 2)
            quit = 0;
    }
    close(s);
    return 0;
}
