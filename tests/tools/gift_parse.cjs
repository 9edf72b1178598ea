// Parse a GIFT file with gift-pegjs (an independent GIFT parser) and print JSON, for tests.
const fs = require("fs");
const { parse } = require("gift-pegjs");
process.stdout.write(JSON.stringify(parse(fs.readFileSync(process.argv[2], "utf8")), null, 1));
