/* check_geo — great-circle distances and fiber latency arithmetic.
 *
 * Golden distances: haversine on the 6371.0 km sphere. New York (40.7128 N,
 * 74.0060 W) to London (51.5074 N, 0.1278 W) is 5570 km to the nearest km
 * (the usual quoted figure; the WGS-84 ellipsoid gives 5585 km, which a
 * sphere does not claim to match). Half the equator is pi x 6371 km. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "models/net/geo.h"
#include "tests/testutil.h"

static const geo_point_t nyc = { 40.7128, -74.0060 }, lon_ = { 51.5074, -0.1278 };

START_TEST(new_york_london)
{
    double d = geo_distance_km(nyc, lon_);
    ck_assert_double_eq_tol(d, 5570.0, 5.0);
    /* symmetric */
    ck_assert_double_eq_tol(geo_distance_km(lon_, nyc), d, 1e-9);
}
END_TEST

START_TEST(special_distances)
{
    geo_point_t a = { 0, 0 }, b = { 0, 180 }, c = { 90, 0 }, d = { -90, 0 };
    ck_assert_double_eq_tol(geo_distance_km(a, a), 0.0, 1e-9);
    ck_assert_double_eq_tol(geo_distance_km(a, b), M_PI * GEO_EARTH_RADIUS_KM, 1e-6);
    ck_assert_double_eq_tol(geo_distance_km(c, d), M_PI * GEO_EARTH_RADIUS_KM, 1e-6);
    /* one degree of longitude on the equator: 2 pi R / 360 = 111.19 km */
    geo_point_t e = { 0, 1 };
    ck_assert_double_eq_tol(geo_distance_km(a, e), 2 * M_PI * GEO_EARTH_RADIUS_KM / 360, 1e-6);
    /* across the antimeridian is short, not round the world */
    geo_point_t f = { 0, 179.5 }, g = { 0, -179.5 };
    ck_assert_double_eq_tol(geo_distance_km(f, g), 2 * M_PI * GEO_EARTH_RADIUS_KM / 360, 1e-6);
}
END_TEST

START_TEST(latency_arithmetic)
{
    geo_fiber_t f = geo_fiber_default();
    ck_assert_double_eq(f.route_factor, 2.0);
    ck_assert_double_eq(f.km_per_s, 204000.0);
    /* 204 km of great circle at factor 1.0 is 204 km of fiber: exactly 1 ms */
    f.route_factor = 1.0;
    ck_assert_int_eq(geo_latency_ns(&f, 204.0, 0), 1000000);
    /* the default factor doubles it */
    f.route_factor = 2.0;
    ck_assert_int_eq(geo_latency_ns(&f, 204.0, 0), 2000000);
    /* per-hop processing adds per router crossed */
    f.per_hop_ns = 50000;
    ck_assert_int_eq(geo_latency_ns(&f, 204.0, 3), 2150000);
    ck_assert_int_eq(geo_latency_ns(&f, 0.0, 0), 0);
    /* New York-London one way at factor 2: 5570 km x 2 / 204000 km/s = 54.6 ms */
    f.per_hop_ns = 0;
    double ms = simtime_to_ms(geo_point_latency_ns(&f, nyc, lon_, 0));
    ck_assert_double_eq_tol(ms, 5570.0 * 2 / 204000 * 1000, 0.06);
    f.route_factor = 1.0;
    ck_assert_double_eq_tol(simtime_to_ms(geo_point_latency_ns(&f, nyc, lon_, 0)), 27.30, 0.03);
}
END_TEST

START_TEST(validity)
{
    ck_assert(geo_valid(0, 0));
    ck_assert(geo_valid(-90, 180));
    ck_assert(!geo_valid(90.5, 0));
    ck_assert(!geo_valid(0, -180.1));
    ck_assert(!geo_valid(NAN, 0));
    ck_assert(!geo_valid(0, INFINITY));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("geo");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, new_york_london);
    tcase_add_test(tc, special_distances);
    tcase_add_test(tc, latency_arithmetic);
    tcase_add_test(tc, validity);
    suite_add_tcase(s, tc);
    return test_main(s);
}
