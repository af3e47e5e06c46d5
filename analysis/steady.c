/* steady — the end-of-run trend check; see steady.h. */
#include "analysis/steady.h"

#include <math.h>
#include <stdio.h>

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

bool steady_fit(const cJSON *res, steady_fit_t *out)
{
    const cJSON *ts = cJSON_GetObjectItemCaseSensitive(res, "timeseries");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(ts, "t_s");
    const cJSON *hr = cJSON_GetObjectItemCaseSensitive(ts, "hit_ratio");
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(ts, "requests");
    double dur = num(res, "duration_s"), warm = num(res, "warmup_s"), iv = num(ts, "interval_s");
    if (!cJSON_IsArray(t) || !cJSON_IsArray(hr) || !isfinite(dur) || !isfinite(iv) || !(iv > 0)) return false;
    if (!isfinite(warm)) warm = 0;
    double from = warm + 2 * (dur - warm) / 3;
    double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0, lo = INFINITY, hi = -INFINITY;
    int n = 0;
    const cJSON *y = hr->child, *r = cJSON_IsArray(req) ? req->child : NULL;
    for (const cJSON *x = t->child; x && y; x = x->next, y = y->next, r = r ? r->next : NULL) {
        double t0 = x->valuedouble;
        /* whole intervals inside the window, and with requests (an empty
         * interval's hit ratio of 0 is no measurement) */
        if (t0 < from - 1e-9 || t0 + iv > dur + 1e-9 || (r && r->valuedouble <= 0)) continue;
        double tm = t0 + iv / 2, v = y->valuedouble;
        sx += tm; sy += v; sxx += tm * tm; sxy += tm * v; syy += v * v;
        if (t0 < lo) lo = t0;
        if (t0 + iv > hi) hi = t0 + iv;
        n++;
    }
    if (n < STEADY_MIN_POINTS) return false;
    double mx = sx / n, my = sy / n;
    double Sxx = sxx - n * mx * mx, Sxy = sxy - n * mx * my, Syy = syy - n * my * my;
    if (!(Sxx > 0)) return false;
    double b = Sxy / Sxx, sse = Syy - b * Sxy;
    if (sse < 0) sse = 0; /* rounding of an exact fit */
    *out = (steady_fit_t){ n, lo, hi, b, sqrt(sse / (n - 2) / Sxx), b * (hi - lo) };
    return true;
}

cJSON *steady_check(cJSON *res)
{
    cJSON *w = cJSON_GetObjectItemCaseSensitive(res, "warnings");
    if (!cJSON_IsArray(w)) {
        cJSON_DeleteItemFromObjectCaseSensitive(res, "warnings");
        w = cJSON_AddArrayToObject(res, "warnings");
    }
    steady_fit_t f;
    if (!w || !steady_fit(res, &f)) return w;
    double window = f.to_s - f.from_s;
    if (fabs(f.change) > STEADY_K * f.se * window && fabs(f.change) > STEADY_MIN_CHANGE) {
        char msg[512];
        snprintf(msg, sizeof msg, "not in steady state: the hit ratio still %s by %.3f over the last "
                 "third of the measured period (%.0f-%.0f s, %d intervals; %.1f standard errors): "
                 "a longer warmup_s or duration_s would change the result",
                 f.change > 0 ? "rises" : "falls", fabs(f.change), f.from_s, f.to_s, f.n,
                 f.se > 0 ? fabs(f.change) / (f.se * window) : INFINITY);
        cJSON_AddItemToArray(w, cJSON_CreateString(msg));
    }
    return w;
}
