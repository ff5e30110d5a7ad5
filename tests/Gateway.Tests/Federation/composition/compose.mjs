// Composes subgraph SDL files into a supergraph, as a router's build step would:
//   node compose.mjs <first.graphql> <second.graphql> ...
// Each subgraph is named after its file. Prints the supergraph SDL and exits 0, or prints every
// composition error to stderr and exits 1, so a caller sees all problems at once.
import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";

const files = process.argv.slice(2);
if (files.length < 2) {
  console.error("usage: node compose.mjs <subgraph.graphql> <subgraph.graphql> [...]");
  process.exit(2);
}

let services;
try {
  services = files.map((file) => ({
    name: basename(file, extname(file)),
    url: `http://${basename(file, extname(file))}.invalid/graphql`,
    typeDefs: parse(readFileSync(file, "utf8")),
  }));
} catch (error) {
  // A file that is not even GraphQL: say which, with graphql-js's own location.
  console.error(`Could not read or parse a subgraph: ${error.message}`);
  process.exit(1);
}

const result = composeServices(services);
if (result.errors) {
  console.error(`Composition failed with ${result.errors.length} error(s):`);
  for (const error of result.errors) {
    const code = error.extensions?.code ? `[${error.extensions.code}] ` : "";
    console.error(`- ${code}${error.message}`);
  }
  process.exit(1);
}

process.stdout.write(result.supergraphSdl);
