/* The agent channel: the guest's second serial port in raw mode. */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static int chan_fd = -1;
static char inbuf[4096];
static size_t inlen;

int chan_open(const char *tty)
{
    chan_fd = open(tty, O_RDWR | O_NOCTTY);
    if (chan_fd < 0)
        return -1;
    struct termios t;
    if (tcgetattr(chan_fd, &t) == 0) {
        /* No echo and no CR/LF mapping: the harness sees exactly our bytes. */
        cfmakeraw(&t);
        cfsetispeed(&t, B115200);
        cfsetospeed(&t, B115200);
        tcsetattr(chan_fd, TCSANOW, &t);
    }
    return 0;
}

void chan_send(const char *fmt, ...)
{
    char line[AGENT_LINE_MAX + 2];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, AGENT_LINE_MAX, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (n > AGENT_LINE_MAX - 1)
        n = AGENT_LINE_MAX - 1;
    line[n++] = '\n';
    for (int off = 0; off < n;) {
        ssize_t w = write(chan_fd, line + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        off += w;
    }
    tcdrain(chan_fd);
}

bool chan_is_open(void)
{
    return chan_fd >= 0;
}

bool chan_recv(char *buf, size_t size)
{
    for (;;) {
        char *nl = memchr(inbuf, '\n', inlen);
        if (nl) {
            size_t n = nl - inbuf;
            size_t c = n < size - 1 ? n : size - 1;
            memcpy(buf, inbuf, c);
            buf[c] = 0;
            if (c && buf[c - 1] == '\r')
                buf[c - 1] = 0;
            memmove(inbuf, nl + 1, inlen - n - 1);
            inlen -= n + 1;
            return true;
        }
        if (inlen == sizeof(inbuf)) /* an absurd line: drop it */
            inlen = 0;
        ssize_t r = read(chan_fd, inbuf + inlen, sizeof(inbuf) - inlen);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            /* A serial port does not close; a read error here means the
             * device is gone. Wait rather than spin. */
            sleep(1);
            continue;
        }
        inlen += r;
    }
}

void pct_encode(const char *s, char *out, size_t size)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (; *s && o + 4 < size; s++) {
        unsigned char c = *s;
        if (c <= ' ' || c == '%' || c >= 0x7f) {
            out[o++] = '%';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        } else {
            out[o++] = c;
        }
    }
    out[o] = 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void pct_decode(char *s)
{
    char *o = s;
    for (; *s; s++) {
        if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
            *o++ = (char)(hexval(s[1]) << 4 | hexval(s[2]));
            s += 2;
        } else {
            *o++ = *s;
        }
    }
    *o = 0;
}

bool msg_get(const char *line, const char *key, char *out, size_t size)
{
    size_t kl = strlen(key);
    for (const char *p = line; (p = strstr(p, key)) != NULL; p += kl) {
        if ((p == line || p[-1] == ' ') && p[kl] == '=') {
            const char *v = p + kl + 1;
            size_t n = strcspn(v, " ");
            if (n >= size)
                n = size - 1;
            memcpy(out, v, n);
            out[n] = 0;
            pct_decode(out);
            return true;
        }
    }
    return false;
}
