#!/usr/bin/env python3
# Prints the payloads of cmd_dump_hfe_test.go: run it (python3
# server/testdata/hfe_dump_payloads.py) to check them.
# Independent derivation of Redis 8.2 DUMP payloads for hashes with field TTLs
# (rdb.c rdbSaveObject/rdbLoadObject, listpack.md, crc64.c).
import struct
def crc64(b):
    crc=0
    for c in b:
        crc^=c
        for _ in range(8):
            crc = (crc>>1)^0x95ac9329ac4bc9b5 if crc&1 else crc>>1
    return crc
def footer(body, ver=12):
    p=body+struct.pack('<H',ver)
    return p+struct.pack('<Q',crc64(p))
def backlen(l):
    assert l<=127; return bytes([l])
def lp_str(s):
    assert len(s)<64
    e=bytes([0x80|len(s)])+s
    return e+backlen(len(e))
def lp_int(v):
    if 0<=v<=127: e=bytes([v])
    elif -4096<=v<=4095: u=v&0x1fff; e=bytes([0xc0|(u>>8),u&0xff])
    else: e=b'\xf4'+struct.pack('<q',v)   # only for values beyond int32 here
    return e+backlen(len(e))
def listpack(entries,n):
    body=b''.join(entries)
    total=6+len(body)+1
    return struct.pack('<IH',total,n)+body+b'\xff'
def rdb_len(n):
    if n<64: return bytes([n])
    if n<16384: return bytes([0x40|(n>>8),n&0xff])
    if n<=0xffffffff: return b'\x80'+struct.pack('>I',n)
    return b'\x81'+struct.pack('>Q',n)
def rdb_rawstr(s):  # no integer/LZF encoding applies to the strings used
    return rdb_len(len(s))+s
def esc(b): return ''.join('\\x%02x'%c for c in b)
T1=4102444800000  # 2100-01-01T00:00:00Z in ms
T2=T1+1000
# A: type 25, fields b(T1) a(T2) c(none): ordered by expiry, none last
lpA=listpack([lp_str(b'b'),lp_str(b'x'),lp_int(T1), lp_str(b'a'),lp_int(1),lp_int(T2), lp_str(b'c'),lp_str(b'y'),lp_int(0)],9)
A=footer(b'\x19'+struct.pack('<Q',T1)+rdb_len(len(lpA))+lpA)
print('A', len(lpA), esc(A))
# B: type 24, one field a=1 at T1: min T1, count 1, ttl 1 (T1-T1+1), "a", 1 as int8 (0xc0 0x01)
B=footer(b'\x18'+struct.pack('<Q',T1)+b'\x01'+b'\x01'+b'\x01a'+b'\xc0\x01')
print('B', esc(B))
# C: type 24 hand-built: c (no ttl), a (T2: rel 1001), b (T1: rel 1)
C=footer(b'\x18'+struct.pack('<Q',T1)+b'\x03'+b'\x00\x01c\x01y'+rdb_len(1001)+b'\x01a\x01z'+b'\x01\x01b\x01x')
print('C', esc(C))
# D: type 22 (7.4 RC), absolute TTLs: a at T1 (0x81 + 8 bytes BE), b none
D=footer(b'\x16'+b'\x02'+rdb_len(T1)+b'\x01a\x01z'+b'\x00\x01b\x01x')
print('D', esc(D))
# E: type 23 (7.4 RC): listpack alone, a at T2, b none
lpE=listpack([lp_str(b'a'),lp_str(b'z'),lp_int(T2), lp_str(b'b'),lp_str(b'x'),lp_int(0)],6)
E=footer(b'\x17'+rdb_len(len(lpE))+lpE)
print('E', esc(E))
# F: type 25, a expired (at 1000 ms, 1970), b none: a is dropped at load
lpF=listpack([lp_str(b'a'),lp_str(b'z'),lp_int(1000), lp_str(b'b'),lp_str(b'x'),lp_int(0)],6)
F=footer(b'\x19'+struct.pack('<Q',1000)+rdb_len(len(lpF))+lpF)
print('F', esc(F))
# G: type 25, only field expired -> nothing left
lpG=listpack([lp_str(b'a'),lp_str(b'z'),lp_int(1000)],3)
G=footer(b'\x19'+struct.pack('<Q',1000)+rdb_len(len(lpG))+lpG)
print('G', esc(G))
# corrupt: H1 listpack of 2 elements (not triplets); H2 ttl entry a string; H3 ttl 2^48 (> EB_EXPIRE_TIME_MAX)
lpH1=listpack([lp_str(b'a'),lp_str(b'z')],2)
print('H1', esc(footer(b'\x19'+struct.pack('<Q',0)+rdb_len(len(lpH1))+lpH1)))
lpH2=listpack([lp_str(b'a'),lp_str(b'z'),lp_str(b'x')],3)
print('H2', esc(footer(b'\x19'+struct.pack('<Q',0)+rdb_len(len(lpH2))+lpH2)))
lpH3=listpack([lp_str(b'a'),lp_str(b'z'),lp_int(1<<48)],3)
print('H3', esc(footer(b'\x19'+struct.pack('<Q',0)+rdb_len(len(lpH3))+lpH3)))
# H4: type 24 relative ttl past EB_EXPIRE_TIME_MAX: min 2^48-1, rel 2 -> 2^48
print('H4', esc(footer(b'\x18'+struct.pack('<Q',(1<<48)-1)+b'\x01'+b'\x02'+b'\x01a\x01z')))
# H5: type 24 duplicate field
print('H5', esc(footer(b'\x18'+struct.pack('<Q',T1)+b'\x02'+b'\x01\x01a\x01z'+b'\x00\x01a\x01y')))
# H6: type 25 truncated minimum (4 bytes then end)
print('H6', esc(footer(b'\x19'+b'\x00\x00\x00\x00')))
# H7: type 25 duplicate field in the listpack
lpH7=listpack([lp_str(b'a'),lp_str(b'z'),lp_int(0),lp_str(b'a'),lp_str(b'y'),lp_int(0)],6)
print('H7', esc(footer(b'\x19'+struct.pack('<Q',0)+rdb_len(len(lpH7))+lpH7)))
# H8: version 13 footer on payload A's body
print('H8', esc(footer(A[:-10],13)))
