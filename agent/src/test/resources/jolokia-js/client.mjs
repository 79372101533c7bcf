// jolokia.js 2.6 (from npm) against a tcpjmx agent, as an application would use it.
// node client.mjs URL FILTER → prints one JSON line per step for JolokiaJsClientIT to check.
import Jolokia from "jolokia.js";

const [url, filter] = process.argv.slice(2);
const print = (step, value) => console.log(JSON.stringify({ step, value }));

// Default settings: a single request goes by GET, which the agent answers for reads...
const byDefault = new Jolokia({ url });
const histogram = await byDefault.request({ type: "read", mbean: "org.tcpjmx:type=States", attribute: "Histogram" });
print("read", histogram);

// ...and refuses for an exec with HTTP 405, which jolokia.js hands to the caller as a rejected
// promise holding the fetch Response; its JSON body says how to send the request by POST.
try {
    const answered = await byDefault.request({ type: "exec", mbean: "org.tcpjmx:type=Connections", operation: "query",
        arguments: [filter, 10] });
    print("execByGet", { httpStatus: 200, body: answered });
} catch (response) {
    print("execByGet", { httpStatus: response.status, body: await response.json() });
}

// method: "post", as the docs say: the exec runs.
const posting = new Jolokia({ url, method: "post" });
const rows = await posting.request({ type: "exec", mbean: "org.tcpjmx:type=Connections", operation: "query",
    arguments: [filter, 10] });
print("execByPost", rows);

// A bulk request (always POST in jolokia.js): the histogram and a list-only drop together.
const bulk = await posting.request([
    { type: "read", mbean: "org.tcpjmx:type=States", attribute: "Established" },
    { type: "exec", mbean: "org.tcpjmx:type=Drop", operation: "dropMatching", arguments: [filter, true] },
]);
print("bulk", bulk);
