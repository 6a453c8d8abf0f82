/* A small C library that tests/ffi/clib/main.pel calls (extern fn). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
int64_t twice(int64_t x) { return 2 * x; }
double half(double x) { return x / 2; }
bool is_even(int64_t x) { return x % 2 == 0; }
bool both(bool a, bool b) { return a && b; }
const char *greeting(bool formal) { return formal ? "good day" : "hi"; }
int64_t count_char(const char *s, int64_t c) { int64_t n = 0; for (; *s; s++) n += *s == c; return n; }
void shout(const char *s) { printf("C says: %s\n", s); }
const char *nothing(void) { return NULL; }
