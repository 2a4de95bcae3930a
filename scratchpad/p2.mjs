import * as c from "cborg"
const h = s => Buffer.from(s, "hex")
console.log(Buffer.from(c.encode({a:5n, b:2n**64n-1n, c: -1, d: 1.5})).toString("hex"));
console.log(c.decode(h("1bffffffffffffffff")), typeof c.decode(h("1b0000000000000005")));
try{console.log(c.decode(h("a1616101ff")))}catch(e){console.log("trailing:",e.message)}
try{console.log(c.decode(h("5f4101ff")))}catch(e){console.log("indef:",e.message)}
try{console.log(c.decode(h("a2616101616102")))}catch(e){console.log("dup:",e.message)}
console.log(c.decode(h("fb3ff8000000000000")), c.decode(h("f93e00")))
try{console.log(c.decode(h("a1616101"), {rejectDuplicateMapKeys:true}))}catch(e){console.log(e.message)}
try{console.log(c.decode(h("1b0000000000000005"), {strict:true}))}catch(e){console.log("strict:", e.message)}
const buf = new Uint8Array(20); buf.set(h("4401020304"), 3)
const sub = buf.subarray(3, 8); const r = c.decode(sub); console.log(r, r.buffer === buf.buffer)
