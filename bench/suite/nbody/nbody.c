/* The n-body benchmark of the Computer Language Benchmarks Game: the Sun and
 * the four gas giants, moved by Newtonian gravity in steps of 0.01 years
 * (symplectic Euler). The serial C reference of nbody.pel, with its
 * algorithm: every body's new velocity is computed on its own, from the
 * pulls of j = 0..n-1 in order of j, then every position, so each pair is
 * evaluated twice. (The Benchmarks Game's classic C computes each pair
 * once and updates both bodies: the same bits in half the arithmetic,
 * 0.40 s against 0.57 s for 5000000 steps here; docs/performance.md.) The
 * energy is summed as nbody.pel's `sum` does for fewer than 2048
 * elements: left to right from 0.0.
 *
 *   clang-19 -std=c11 -O2 nbody.c -o nbody -lm && ./nbody 5000000
 *
 * The number of steps is the first argument (default 1000). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define PI 3.141592653589793
#define SOLAR_MASS (4.0 * PI * PI)
#define DAYS_PER_YEAR 365.24
#define DT 0.01
#define NBODIES 5

struct body {
    double x, y, z, vx, vy, vz, mass;
};

static struct body bodies[NBODIES] = {
    /* Sun */
    {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, SOLAR_MASS},
    /* Jupiter */
    {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
     1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
     -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS},
    /* Saturn */
    {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
     -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
     2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS},
    /* Uranus */
    {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
     2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
     -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS},
    /* Neptune */
    {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
     2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
     -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS},
};

static void offset_momentum(int n, struct body *b)
{
    double px = 0.0, py = 0.0, pz = 0.0;
    for (int i = 0; i < n; i++) {
        px += b[i].vx * b[i].mass;
        py += b[i].vy * b[i].mass;
        pz += b[i].vz * b[i].mass;
    }
    b[0].vx = -px / SOLAR_MASS;
    b[0].vy = -py / SOLAR_MASS;
    b[0].vz = -pz / SOLAR_MASS;
}

static void advance(int n, struct body *b)
{
    double nvx[NBODIES], nvy[NBODIES], nvz[NBODIES];
    for (int i = 0; i < n; i++) {
        double vx = b[i].vx, vy = b[i].vy, vz = b[i].vz;
        for (int j = 0; j < n; j++) {
            if (j == i)
                continue;
            double dx = b[i].x - b[j].x;
            double dy = b[i].y - b[j].y;
            double dz = b[i].z - b[j].z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = DT / (d2 * sqrt(d2));
            vx -= dx * b[j].mass * mag;
            vy -= dy * b[j].mass * mag;
            vz -= dz * b[j].mass * mag;
        }
        nvx[i] = vx;
        nvy[i] = vy;
        nvz[i] = vz;
    }
    for (int i = 0; i < n; i++) {
        b[i].vx = nvx[i];
        b[i].vy = nvy[i];
        b[i].vz = nvz[i];
        b[i].x += DT * b[i].vx;
        b[i].y += DT * b[i].vy;
        b[i].z += DT * b[i].vz;
    }
}

static double energy(int n, const struct body *b)
{
    double e = 0.0;
    for (int i = 0; i < n; i++) {
        double kinetic = 0.5 * b[i].mass *
                         (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
        double potential = 0.0;
        for (int j = i + 1; j < n; j++) {
            double dx = b[i].x - b[j].x;
            double dy = b[i].y - b[j].y;
            double dz = b[i].z - b[j].z;
            potential += b[i].mass * b[j].mass / sqrt(dx * dx + dy * dy + dz * dz);
        }
        e += kinetic - potential;
    }
    return e;
}

int main(int argc, char **argv)
{
    long steps = argc > 1 ? atol(argv[1]) : 1000;
    offset_momentum(NBODIES, bodies);
    printf("%.9f\n", energy(NBODIES, bodies));
    for (long s = 0; s < steps; s++)
        advance(NBODIES, bodies);
    printf("%.9f\n", energy(NBODIES, bodies));
    return 0;
}
