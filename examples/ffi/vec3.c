/* A small C library PEL calls (main.pel): 3-D vectors, passed as scalars. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

double vec3_norm(double x, double y, double z) { return sqrt(x * x + y * y + z * z); }

int64_t vec3_quadrant(double x, double y) { return (x >= 0 ? 0 : 1) + (y >= 0 ? 0 : 2); }

void vec3_report(const char *name, double len) { printf("[C] %s has length %.3f\n", name, len); }
