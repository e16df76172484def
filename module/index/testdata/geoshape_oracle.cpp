// Oracle: the module's geometry semantics (rtree.cpp) with Boost.Geometry.
// stdin lines: "F|S <op> <docwkt> | <querywkt>" or "F|S valid <wkt>"
#include <boost/geometry.hpp>
#include <iostream>
#include <string>
#include <variant>
namespace bg = boost::geometry;
namespace bgm = bg::model;
template <typename cs> struct T {
  using point = bgm::point<double, 2, cs>;
  using poly = bgm::polygon<point, true, true>;
  using geom = std::variant<point, poly>;
  using box = bgm::box<point>;
  static geom from_wkt(std::string const& wkt) {
    if (wkt.rfind("POI", 0) == 0) return bg::from_wkt<point>(wkt);
    if (wkt.rfind("POL", 0) == 0) { auto p = bg::from_wkt<poly>(wkt); bg::correct(p); geom g = p;
      std::string err; if (!bg::is_valid(p, err)) throw std::runtime_error("invalid geometry: " + err); return g; }
    throw std::runtime_error("unknown geometry type");
  }
  static geom parse(std::string const& wkt) {
    auto g = from_wkt(wkt);
    if (auto* p = std::get_if<point>(&g)) { std::string err; if (!bg::is_valid(*p, err)) throw std::runtime_error("invalid geometry: " + err); }
    return g;
  }
  static bool within(geom const& a, geom const& b) {
    if (std::holds_alternative<point>(b)) return false;
    auto const& pb = std::get<poly>(b);
    return std::visit([&](auto const& x) { return bg::within(x, pb); }, a);
  }
  static bool intersects(geom const& a, geom const& b) {
    return std::visit([&](auto const& x, auto const& y) { return bg::intersects(x, y); }, a, b);
  }
  static void run(std::string op, std::string const& rest) {
    try {
      if (op == "valid") { auto g = parse(rest); std::cout << "ok\n"; return; }
      if (op == "area") { auto g = parse(rest); std::cout.precision(17); std::cout << bg::area(std::get<poly>(g)) << "\n"; return; }
      auto bar = rest.find(" | ");
      auto d = parse(rest.substr(0, bar)); auto q = parse(rest.substr(bar + 3));
      bool r;
      if (op == "within") r = within(d, q);
      else if (op == "contains") r = within(q, d);
      else if (op == "intersects") r = intersects(d, q);
      else if (op == "disjoint") r = !intersects(d, q);
      else { std::cout << "bad op\n"; return; }
      std::cout << (r ? "1" : "0") << "\n";
    } catch (std::exception const& e) { std::cout << "ERR " << e.what() << "\n"; }
  }
};
int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    char cs = line[0];
    auto sp = line.find(' ', 2);
    std::string op = line.substr(2, sp - 2), rest = line.substr(sp + 1);
    if (cs == 'F') T<bg::cs::cartesian>::run(op, rest); else T<bg::cs::geographic<bg::degree>>::run(op, rest);
  }
}
