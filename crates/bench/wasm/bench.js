#!/usr/bin/env node
// Times the wasm build of the engine in Node and compares it with the native bench.
//
//   node crates/bench/wasm/bench.js --pkg DIR [--native FILE] [--quick] [--json-out FILE]
//
// --pkg       the `wasm-bindgen --target nodejs` output of threadline-bench-wasm
// --native    the JSON `threadline-bench --json-out FILE` wrote; without it only wasm is shown
// --quick     fewer repetitions (as `threadline-bench --quick`)
// --json-out  also write the results as JSON
//
// Each measurement is one call into wasm timed with performance.now() (wall) and
// process.cpuUsage() (CPU), after one untimed warm-up call; the median is reported.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { performance } = require('perf_hooks');

// The wasm build may take at most this many times the native build's time.
const TARGET_WASM_RATIO = 2.0;

function parseArgs(argv) {
    const args = { pkg: null, native: null, quick: false, jsonOut: null };
    for (let i = 0; i < argv.length; i++) {
        const value = () => {
            if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
            return argv[++i];
        };
        switch (argv[i]) {
            case '--pkg': args.pkg = value(); break;
            case '--native': args.native = value(); break;
            case '--quick': args.quick = true; break;
            case '--json-out': args.jsonOut = value(); break;
            default: throw new Error(`unknown argument ${argv[i]}`);
        }
    }
    if (!args.pkg) throw new Error('--pkg DIR is required');
    return args;
}

function median(values) {
    const v = [...values].sort((a, b) => a - b);
    const n = v.length;
    if (n === 0) return NaN;
    return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

const round = (x, digits) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : null);

// One warm-up call, then `reps` timed calls of `call` (which returns the wasm side's JSON).
function time(call, reps) {
    let result = JSON.parse(call());
    if (result.error) throw new Error(result.error);
    const wall = [];
    const cpu = [];
    for (let k = 0; k < reps; k++) {
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const out = call();
        const t1 = performance.now();
        const used = process.cpuUsage(cpu0);
        wall.push(t1 - t0);
        cpu.push((used.user + used.system) / 1000);
        result = JSON.parse(out);
    }
    return {
        wall_ms_median: round(median(wall), 4),
        wall_ms_min: round(Math.min(...wall), 4),
        cpu_ms_median: round(median(cpu), 4),
        instructions: result.instructions,
        events: result.events,
        stop: result.stop,
    };
}

const ratio = (wasm, native) => (native > 0 && wasm != null ? round(wasm / native, 3) : null);

function fmtMs(x) {
    if (x == null || !Number.isFinite(x)) return '-';
    return x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(2)} ms`;
}

const fmtRatio = (x) => (x == null ? '-' : `${x.toFixed(2)}x`);

function main() {
    const args = parseArgs(process.argv.slice(2));
    const wasm = require(path.resolve(args.pkg, 'threadline_bench_wasm.js'));
    const native = args.native ? JSON.parse(fs.readFileSync(args.native, 'utf8')) : null;
    const reps = args.quick ? { cpuLoop: 3, scenario: 5 } : { cpuLoop: 9, scenario: 31 };
    const mismatches = [];

    const script = wasm.cpu_loop_script();
    const cpuLoop = time(() => wasm.simulate_ms(script, 1), reps.cpuLoop);
    cpuLoop.runs = reps.cpuLoop;
    if (native) {
        const n = native.cpu_loop;
        cpuLoop.native_wall_ms_median = n.wall_ms_median;
        cpuLoop.native_cpu_ms_median = n.cpu_ms_median;
        cpuLoop.wall_ratio = ratio(cpuLoop.wall_ms_median, n.wall_ms_median);
        cpuLoop.cpu_ratio = ratio(cpuLoop.cpu_ms_median, n.cpu_ms_median);
        if (n.instructions !== cpuLoop.instructions || n.events !== cpuLoop.events) {
            mismatches.push(`cpu-loop: native ${n.instructions} instructions/${n.events} events, wasm ${cpuLoop.instructions}/${cpuLoop.events}`);
        }
    }

    // The fixed cost of any run: parse, compile and the simulated library, for an empty script.
    const empty = time(() => wasm.simulate_ms('', 1), reps.scenario);
    if (native && native.empty_script) {
        empty.native_wall_ms_median = native.empty_script.wall_ms_median;
        empty.native_cpu_ms_median = native.empty_script.cpu_ms_median;
        empty.wall_ratio = ratio(empty.wall_ms_median, empty.native_wall_ms_median);
        empty.cpu_ratio = ratio(empty.cpu_ms_median, empty.native_cpu_ms_median);
    }

    const nativeRows = new Map((native ? native.scenarios : []).map((r) => [r.id, r]));
    const scenarios = JSON.parse(wasm.scenario_ids()).map((id) => {
        const row = { id, ...time(() => wasm.simulate_scenario_ms(id, 1), reps.scenario) };
        const n = nativeRows.get(id);
        if (n) {
            row.native_wall_ms_median = n.wall_ms_median;
            row.native_cpu_ms_median = n.cpu_ms_median;
            row.wall_ratio = ratio(row.wall_ms_median, n.wall_ms_median);
            row.cpu_ratio = ratio(row.cpu_ms_median, n.cpu_ms_median);
            if (n.instructions !== row.instructions || n.events !== row.events) {
                mismatches.push(`${id}: native ${n.instructions} instructions/${n.events} events, wasm ${row.instructions}/${row.events}`);
            }
        }
        return row;
    });

    const sum = (rows, key) => rows.reduce((a, r) => a + (r[key] || 0), 0);
    const compared = scenarios.filter((r) => r.wall_ratio != null);
    const summary = {
        count: scenarios.length,
        runs_each: reps.scenario,
        wall_ms_max: round(Math.max(...scenarios.map((r) => r.wall_ms_median)), 4),
        wall_ms_median: round(median(scenarios.map((r) => r.wall_ms_median)), 4),
        wall_ms_total: round(sum(scenarios, 'wall_ms_median'), 3),
    };
    if (compared.length) {
        summary.native_wall_ms_total = round(sum(compared, 'native_wall_ms_median'), 3);
        summary.wall_ratio_total = ratio(sum(compared, 'wall_ms_median'), summary.native_wall_ms_total);
        summary.cpu_ratio_total = ratio(sum(compared, 'cpu_ms_median'), sum(compared, 'native_cpu_ms_median'));
        summary.wall_ratio_median = round(median(compared.map((r) => r.wall_ratio)), 3);
        summary.wall_ratio_max = round(Math.max(...compared.map((r) => r.wall_ratio)), 3);
    }
    const targets = native
        ? [
            { name: 'CPU loop: wasm time <= 2x native', value: cpuLoop.wall_ratio, cpu_value: cpuLoop.cpu_ratio },
            { name: 'all scenarios together: wasm time <= 2x native', value: summary.wall_ratio_total, cpu_value: summary.cpu_ratio_total },
        ].map((t) => ({ ...t, limit: TARGET_WASM_RATIO, met: t.value != null && t.value <= TARGET_WASM_RATIO }))
        : [];
    const report = { node: process.version, load_average: os.loadavg().map((l) => round(l, 2)), quick: args.quick, cpu_loop: cpuLoop, empty_script: empty, scenarios, scenario_summary: summary, targets, mismatches };
    if (args.jsonOut) fs.writeFileSync(args.jsonOut, JSON.stringify(report, null, 2) + '\n');

    console.log(`Wasm build in Node ${process.version} vs native (medians after one warm-up call)`);
    const load = os.loadavg()[0];
    if (load > os.cpus().length) {
        console.log(`The machine is busy (load average ${load.toFixed(2)} on ${os.cpus().length} cores): wall times include waiting for a core; compare CPU times.`);
    }
    console.log();
    const header = ['', 'native wall', 'wasm wall', 'wasm/native', 'native CPU', 'wasm CPU', 'wasm/native'];
    const width = Math.max(28, ...scenarios.map((r) => r.id.length)) + 2;
    const line = (cols) => '  ' + cols[0].padEnd(width) + cols.slice(1).map((c) => String(c).padStart(12)).join('');
    console.log(line(header));
    console.log(line(['CPU loop (2 x 1,000,000)', fmtMs(cpuLoop.native_wall_ms_median), fmtMs(cpuLoop.wall_ms_median), fmtRatio(cpuLoop.wall_ratio),
        fmtMs(cpuLoop.native_cpu_ms_median), fmtMs(cpuLoop.cpu_ms_median), fmtRatio(cpuLoop.cpu_ratio)]));
    console.log(line(['empty script (fixed cost)', fmtMs(empty.native_wall_ms_median), fmtMs(empty.wall_ms_median), fmtRatio(empty.wall_ratio),
        fmtMs(empty.native_cpu_ms_median), fmtMs(empty.cpu_ms_median), fmtRatio(empty.cpu_ratio)]));
    console.log();
    console.log(`  Bundled scenarios: ${summary.count} of them, ${summary.runs_each} timed runs each`);
    for (const r of scenarios) {
        console.log(line([r.id, fmtMs(r.native_wall_ms_median), fmtMs(r.wall_ms_median), fmtRatio(r.wall_ratio),
            fmtMs(r.native_cpu_ms_median), fmtMs(r.cpu_ms_median), fmtRatio(r.cpu_ratio)]));
    }
    console.log(line(['all scenarios together', fmtMs(summary.native_wall_ms_total), fmtMs(summary.wall_ms_total), fmtRatio(summary.wall_ratio_total),
        '', '', fmtRatio(summary.cpu_ratio_total)]));
    console.log(`  wasm: max ${fmtMs(summary.wall_ms_max)}, median ${fmtMs(summary.wall_ms_median)}; ` +
        `wasm/native per scenario: median ${fmtRatio(summary.wall_ratio_median)}, max ${fmtRatio(summary.wall_ratio_max)}`);
    console.log();
    if (mismatches.length) {
        console.log('  Native and wasm runs differ (the engine should be deterministic):');
        for (const m of mismatches) console.log(`    ${m}`);
    } else if (native) {
        console.log('  Native and wasm runs agree on every instruction count and event count.');
    }
    if (targets.length) {
        console.log();
        console.log('Targets (judged on wall time; CPU time in brackets)');
        for (const t of targets) {
            console.log(`  ${(t.met ? 'met' : 'MISSED').padEnd(6)} ${t.name}: measured ${fmtRatio(t.value)} [CPU ${fmtRatio(t.cpu_value)}], limit ${fmtRatio(t.limit)}`);
        }
    }
    const explorer = exploreBench(wasm, args.quick);
    report.explorer = explorer;
    if (args.jsonOut) fs.writeFileSync(args.jsonOut, JSON.stringify(report, null, 2) + '\n');
    return mismatches.length ? 1 : 0;
}

/** The outcome explorer in wasm: every schedule of each seed scenario, and the lost update. */
function exploreBench(wasm, quick) {
    const timed = (f) => {
        const t0 = performance.now();
        const r = JSON.parse(f());
        return { ...r, wall_ms: round(performance.now() - t0, 3) };
    };
    console.log();
    console.log('Outcome explorer in wasm (DFS, wall time)');
    const seeds = JSON.parse(wasm.seed_scenario_ids()).map((id) => ({ id, ...timed(() => wasm.explore_scenario(id)) }));
    for (const r of seeds) {
        console.log(`  ${r.id.padEnd(40)} ${String(r.schedules).padStart(6)} schedules ${String(r.outcomes).padStart(3)} outcomes ${fmtMs(r.wall_ms).padStart(10)}${r.complete ? '' : ' (stopped at the schedule limit)'}`);
    }
    const over = seeds.filter((r) => r.wall_ms >= 1000 || !r.complete).map((r) => r.id);
    console.log(`  seed scenarios: ${seeds.length}, slowest ${fmtMs(Math.max(...seeds.map((r) => r.wall_ms)))}; ` +
        (over.length ? `over 1 s or incomplete: ${over.join(', ')}` : 'every one fully explored in under 1 s'));
    const bound = quick ? 3 : 4;
    const lost = [true, false].map((reduction) => ({ reduction, preemption_bound: bound, ...timed(() => wasm.explore_lost_update(reduction, bound)) }));
    for (const r of lost) {
        r.schedules_per_sec = Math.round(r.schedules / (r.wall_ms / 1e3));
        console.log(`  lost update, bound ${bound}, reduction ${r.reduction ? 'on ' : 'off'}: ${r.schedules} schedules, ${r.outcomes} outcomes, ${fmtMs(r.wall_ms)} (${r.schedules_per_sec} schedules/s)`);
    }
    const factor = (k) => round(lost[1][k] / lost[0][k], 3);
    console.log(`  reduction: ${factor('schedules')}x fewer schedules, ${factor('wall_ms')}x less time`);
    return { seed_scenarios: seeds, over_1s: over, lost_update: lost, schedules_factor: factor('schedules'), time_factor: factor('wall_ms') };
}

try {
    process.exitCode = main();
} catch (e) {
    console.error(`bench.js: ${e.message}`);
    process.exitCode = 2;
}
