#!/usr/bin/env python3
"""Write a seeded, realistic HAProxy log for benchmarks and soak tests.

Mostly what rsyslog writes to /var/log/haproxy.log (BSD timestamp, httplog),
mixed with the other framings and payloads hascale reads (raw, RFC 3164 with
PRI, RSYSLOG_FileFormat, RFC 5424, clf, tcplog) and some lines that are not
requests (HAProxy notices, other programs, garbage). Same seed, same file.
"""
import argparse
import random

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
PATHS = ["/", "/index.html", "/api/v1/items?page=2", "/login", "/static/app.js", "/img/logo.png",
         "/search?q=haproxy+autoscale", "/cart/checkout", "/health"]
AGENTS = ["Mozilla/5.0 (X11; Linux x86_64)", "curl/7.88.1", "kube-probe/1.27", "Go-http-client/1.1",
          'evil "quoted" {brace} |pipe']


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--only-bsd", action="store_true", help="one framing only (what halog reads)")
    ap.add_argument("out")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    backends = {f"app{b}": [f"web-{b}{s:02d}" for s in range(1, 7)] for b in range(1, 5)}
    backends["static_pool.v2"] = ["cdn1", "cdn2"]
    names = list(backends)
    slow = {("app2", "web-203")}
    with open(a.out, "w", buffering=1 << 20) as f:
        for i in range(a.lines):
            sec = i // 20000
            hh, mm, ss = 10 + sec // 3600, (sec // 60) % 60, sec % 60
            ms = rnd.randrange(1000)
            r = rnd.random()
            if not a.only_bsd and r < 0.02:
                f.write(rnd.choice([
                    f"Nov 22 {hh:02d}:{mm:02d}:{ss:02d} lb-1 haproxy[6037]: Server app1/web-101 is DOWN, reason: Layer4 timeout, check duration: 2001ms. 5 active and 0 backup servers left.\n",
                    f"Nov 22 {hh:02d}:{mm:02d}:{ss:02d} lb-1 CRON[4242]: (root) CMD (command -v debian-sa1 > /dev/null)\n",
                    f"Nov 22 {hh:02d}:{mm:02d}:{ss:02d} lb-1 kernel: [{i}.123456] nf_conntrack: table full, dropping packet\n",
                    "".join(chr(rnd.randrange(32, 127)) for _ in range(rnd.randrange(5, 120))) + "\n",
                    f"Nov 22 {hh:02d}:{mm:02d}:{ss:02d} lb-1 haproxy[6037]: 10.0.0.1:1234 [22/Nov/2026:{hh:02d}:{mm:02d}\n",
                ]))
                continue
            be = rnd.choice(names)
            srv = rnd.choice(backends[be])
            client = (f"10.{rnd.randrange(256)}.{rnd.randrange(256)}.{rnd.randrange(1, 255)}:{rnd.randrange(1024, 65536)}"
                      if rnd.random() < 0.9 else f"2001:db8::{rnd.randrange(65536):x}:{rnd.randrange(1024, 65536)}")
            fe = rnd.choice(["www", "www~", "api-in"])
            base = 800 if (be, srv) in slow else 40
            tr = int(rnd.expovariate(1 / base))
            TR, tw, tc = rnd.randrange(3), 0 if rnd.random() < 0.95 else rnd.randrange(50), rnd.randrange(4)
            status = rnd.choices([200, 302, 304, 404, 500, 503], [80, 6, 6, 4, 2, 2])[0]
            if rnd.random() < 0.01:
                srv, tr, tc, status = "<NOSRV>", -1, -1, 503
            ta = (tr if tr >= 0 else 0) + TR + tw + tc + rnd.randrange(3)
            nbytes = rnd.randrange(100, 50000)
            date = f"22/Nov/2026:{hh:02d}:{mm:02d}:{ss:02d}.{ms:03d}"
            caps = f"{{{be}.example.com|{rnd.choice(AGENTS)}}}"
            req = f'"{rnd.choice(["GET", "GET", "POST"])} {rnd.choice(PATHS)} HTTP/1.1"'
            kind = rnd.random()
            if not a.only_bsd and kind < 0.02:
                payload = (f"{client.rsplit(':', 1)[0]} - - [22/Nov/2026:{hh:02d}:{mm:02d}:{ss:02d} +0000] {req} {status} {nbytes} "
                           f'"" "" {client.rsplit(":", 1)[1]} {ms:03d} "{fe}" "{be}" "{srv}" {TR} {tw} {tc} {tr} {ta} ---- '
                           f'{rnd.randrange(100)} {rnd.randrange(50)} {rnd.randrange(20)} {rnd.randrange(10)} 0 0 0 "" ""')
            elif not a.only_bsd and kind < 0.04:
                payload = (f"{client} [{date}] db-in mysql/{srv} {tw}/{tc}/{ta * 10} {nbytes} -- "
                           f"{rnd.randrange(100)}/{rnd.randrange(50)}/{rnd.randrange(20)}/{rnd.randrange(10)}/0 0/0")
            else:
                payload = (f"{client} [{date}] {fe} {be}/{srv} {TR}/{tw}/{tc}/{tr}/{ta} {status} {nbytes} - - ---- "
                           f"{rnd.randrange(100)}/{rnd.randrange(50)}/{rnd.randrange(20)}/{rnd.randrange(10)}/0 0/0 {caps} {req}")
            fr = rnd.random()
            if a.only_bsd or fr < 0.70:
                prefix = f"Nov 22 {hh:02d}:{mm:02d}:{ss:02d} lb-1 haproxy[6037]: "
            elif fr < 0.78:
                prefix = f"<134>Nov 22 {hh:02d}:{mm:02d}:{ss:02d} haproxy[6037]: "
            elif fr < 0.88:
                prefix = f"2026-11-22T{hh:02d}:{mm:02d}:{ss:02d}.{ms:03d}123+00:00 lb-1 haproxy[6037]: "
            elif fr < 0.95:
                prefix = f"<134>1 2026-11-22T{hh:02d}:{mm:02d}:{ss:02d}.{ms:03d}Z lb-1 haproxy 6037 - - "
            else:
                prefix = ""
            f.write(prefix + payload + "\n")


if __name__ == "__main__":
    main()
