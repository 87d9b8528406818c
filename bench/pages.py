#!/usr/bin/env python3
"""Times the pages people open most on a running demo (`cchc serve --demo` on
CCHC_LISTEN=127.0.0.1:8099, password "demo"): the median of 5 requests after a warm-up per
page, as a leader, the KSTT office, the Sở Nội vụ, an officer, a desk clerk and a
citizen; prints the slowest eight (TOP=n for more).
Needs python3-requests."""
import requests, re, time, statistics
B="http://127.0.0.1:8099"
def login(u):
    s=requests.Session()
    r=s.get(B+"/dang-nhap"); m=re.search(r'name="_csrf"[^>]*value="([^"]+)"', r.text)
    s.post(B+"/dang-nhap", data={"username":u,"password":"demo","_csrf":m.group(1)}, allow_redirects=False)
    return s
pages={"lanhdao":["/","/dieu-hanh","/dieu-hanh?unit=STP","/chi-so","/chi-so?kind=ubnd_xa","/chi-so-cchc","/bao-cao/qua-han","/bao-cao","/nhiem-vu","/nhiem-vu/thong-ke","/van-ban","/ho-so","/phan-anh-kien-nghi","/phan-anh-kien-nghi/thong-ke","/co-quan","/lich-lam-viec","/thong-bao","/thu-tuc"],
       "vanphong":["/ho-so/dong-bo","/bao-cao/qua-han?period=2026","/dieu-hanh?ky=2026"],
       "sonoivu":["/kiem-tra","/kiem-tra/ke-hoach/1","/kiem-tra/thong-ke?nam=2025","/kiem-tra/4/ho-so-chuan-bi","/kiem-tra/2/ket-luan"],
       "chuyenvien.stp":["/","/nhiem-vu","/phan-anh-kien-nghi","/tim-kiem?q=khai%20sinh","/tim-kiem?q=S%E1%BB%9F%20T%C6%B0%20ph%C3%A1p"],
       "motcua.tinh":["/","/mot-cua","/ho-so?sap_han=1","/ho-so/tiep-nhan","/tim-kiem?q=Nguy%E1%BB%85n"],
       None:["/cong-khai","/cong-khai/chi-so-766","/cong-khai/chi-so-cchc","/thu-tuc?q=khai%20sinh","/phan-anh","/phan-anh/cong-khai","/tra-cuu"]}
res=[]
for u,ps in pages.items():
    s=login(u) if u else requests.Session()
    for p in ps:
        ts=[]
        for i in range(6):
            t=time.time(); r=s.get(B+p); ts.append((time.time()-t)*1000)
        res.append((statistics.median(ts[1:]), r.status_code, u or "công dân", p))
res.sort(reverse=True)
for x in res[:int(__import__("os").environ.get("TOP","8"))]: print("%7.1f ms  %s  %-14s %s"%x)
print("pages:", len(res), "all 200:", all(x[1]==200 for x in res))
