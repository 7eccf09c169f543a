#include "lsp/documents.h"

namespace planner::lsp {

std::string DocumentStore::open(const std::string& uri, std::string text, long long version) {
  if (!docs_.count(uri) && docs_.size() >= kMaxDocuments) return "more than 1000 documents open";
  if (text.size() > kMaxDocumentBytes) return "document larger than 64 MiB";
  docs_[uri] = OpenDocument{std::move(text), version};
  return "";
}

std::string DocumentStore::change(const std::string& uri, const TextChange& c, long long version, Encoding enc) {
  auto it = docs_.find(uri);
  if (it == docs_.end()) return "change to a document that is not open";
  OpenDocument& doc = it->second;
  if (!c.has_range) {
    if (c.text.size() > kMaxDocumentBytes) return "document larger than 64 MiB";
    doc.text = c.text;
  } else {
    const LineIndex index(doc.text);
    const std::size_t begin = index.offset(c.start, enc), end = index.offset(c.end, enc);
    if (begin > end) return "change range ends before it starts";
    if (doc.text.size() - (end - begin) + c.text.size() > kMaxDocumentBytes) return "document larger than 64 MiB";
    doc.text.replace(begin, end - begin, c.text);
  }
  doc.version = version;
  return "";
}

const OpenDocument* DocumentStore::find(const std::string& uri) const {
  auto it = docs_.find(uri);
  return it == docs_.end() ? nullptr : &it->second;
}

}  // namespace planner::lsp
