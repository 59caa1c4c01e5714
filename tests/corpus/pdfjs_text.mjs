// The text pdf.js (the engine of Firefox's PDF viewer) gives for a PDF: each page's text items in order, a newline
// after each item that ends a line (hasEOL), pages joined by a newline. Made hongze-district-2023.pdfjs.txt:
//   npm install pdfjs-dist@4.10.38 && node pdfjs_text.mjs hongze-district-2023.pdf hongze-district-2023.pdfjs.txt
// (run where node_modules/pdfjs-dist is found from this script's folder).
import fs from "fs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const [, , input, output] = process.argv;
const doc = await getDocument({ data: new Uint8Array(fs.readFileSync(input)), disableFontFace: true, verbosity: 0 })
  .promise;
const pages = [];
for (let p = 1; p <= doc.numPages; p++) {
  const content = await (await doc.getPage(p)).getTextContent();
  pages.push(content.items.map((it) => it.str + (it.hasEOL ? "\n" : "")).join(""));
}
fs.writeFileSync(output, pages.join("\n"));
