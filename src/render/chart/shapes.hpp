#pragma once
// Marker geometry as Cairo path segments, shared by the PDF canvas (which
// fills them) and the SVG canvas (which copies them into path data), so a
// marker is the same shape in both.
#include "render/chart/canvas.hpp"

namespace ptr::chart {

void add_circle(cairo_t* cr, double x, double y, double r);
void add_shape(cairo_t* cr, double x, double y, const MarkStyle& s);

}  // namespace ptr::chart
