#include "foods/search_quality.h"

#include <algorithm>
#include <sstream>

namespace mg::foods {

Result<std::vector<QualityQuery>> ParseQualityQueries(const std::string& text,
                                                      const std::string& name) {
  std::vector<QualityQuery> out;
  std::istringstream in(text);
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    if (tab == std::string::npos || tab == 0 || tab + 1 == line.size()) {
      return DataError(name + ":" + std::to_string(line_no) +
                       ": expected 'query<TAB>source|source'");
    }
    QualityQuery q;
    q.query = line.substr(0, tab);
    std::string rest = line.substr(tab + 1);
    size_t start = 0;
    while (start <= rest.size()) {
      size_t bar = rest.find('|', start);
      if (bar == std::string::npos) bar = rest.size();
      if (bar > start) q.expected.push_back(rest.substr(start, bar - start));
      start = bar + 1;
    }
    out.push_back(std::move(q));
  }
  return out;
}

QualityScore ScoreQuality(
    const std::vector<QualityQuery>& queries,
    const std::function<std::vector<std::string>(const std::string&)>& search) {
  QualityScore score;
  for (const auto& q : queries) {
    const std::vector<std::string> got = search(q.query);
    ++score.queries;
    auto expected = [&](const std::string& s) {
      return std::find(q.expected.begin(), q.expected.end(), s) != q.expected.end();
    };
    if (!got.empty() && expected(got[0])) ++score.top1;
    bool in_top5 = false;
    for (size_t i = 0; i < got.size() && i < 5; ++i) in_top5 = in_top5 || expected(got[i]);
    if (in_top5) {
      ++score.top5;
    } else {
      std::string miss = q.query + " -> ";
      for (size_t i = 0; i < got.size() && i < 3; ++i) miss += (i ? ", " : "") + got[i];
      score.misses.push_back(miss);
    }
  }
  return score;
}

}  // namespace mg::foods
