// Command bench is the Go side of `npm run bench:compare`: the reference thin client
// (client/thin v0.0.73) against a running kpclientd, with the same workload and JSON output
// as the other clients (bench/compare/params.mjs). The v0.0.73 client deadlocks with two or
// more calls in flight on one client, so every concurrent caller gets its own client (its
// own connection and session); the 10,000-in-flight memory measure is not run (it would
// need 10,000 clients).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/katzenpost/hpqc/bacap"
	"github.com/katzenpost/katzenpost/client/config"
	"github.com/katzenpost/katzenpost/client/thin"
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func cpuMicros() float64 {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return float64(u.Utime.Sec+u.Stime.Sec)*1e6 + float64(u.Utime.Usec+u.Stime.Usec)
}

type opResult struct {
	P50        float64            `json:"p50"`
	P99        float64            `json:"p99"`
	OpsPerSec  map[string]float64 `json:"opsPerSec"`
	CPUUsPerOp *float64           `json:"cpuUsPerOp"`
}

// tryDial dials once. The v0.0.73 client panics when a broadcast (the offline daemon's
// periodic status) lands between its session token and the reply; that is reported as an error.
func tryDial(cfg *thin.Config) (tc *thin.ThinClient, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("dial panicked: %v", r)
		}
	}()
	tc = thin.NewThinClient(cfg, &config.Logging{Level: "ERROR"})
	if err := tc.Dial(); err != nil {
		return nil, err
	}
	return tc, nil
}

func dial(cfg *thin.Config) *thin.ThinClient {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		var tc *thin.ThinClient
		if tc, err = tryDial(cfg); err == nil {
			return tc
		}
		fmt.Fprintln(os.Stderr, "bench: dial failed, retrying:", err)
	}
	fmt.Fprintln(os.Stderr, "bench: dial:", err)
	os.Exit(1)
	return nil
}

func main() {
	cfgPath := flag.String("config", "", "thinclient.toml")
	flag.Parse()
	cfg, err := thin.LoadFile(*cfgPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: config:", err)
		os.Exit(2)
	}
	warmup := envInt("BENCH_WARMUP", 5000)
	sequential := envInt("BENCH_SEQUENTIAL", 5000)
	total := envInt("BENCH_OPS", 20000)
	var levels []int
	for _, s := range strings.Split(envOr("BENCH_CONCURRENCY", "1,16,256"), ",") {
		n, _ := strconv.Atoi(s)
		levels = append(levels, n)
	}

	primary := dial(cfg)
	seed := make([]byte, 32)
	for i := range seed {
		seed[i] = 7
	}
	_, _, first, err := primary.NewKeypair(seed)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: first reply:", err)
		os.Exit(1)
	}
	firstReplyAt := time.Now().UnixMilli()

	ops := map[string]func(*thin.ThinClient) error{
		"new_keypair": func(c *thin.ThinClient) error {
			_, _, _, err := c.NewKeypair(seed)
			return err
		},
		"next_message_box_index": func(c *thin.ThinClient) error {
			var next *bacap.MessageBoxIndex
			next, err := c.NextMessageBoxIndex(first)
			_ = next
			return err
		},
	}
	result := map[string]any{"client": "go", "firstReplyAt": firstReplyAt}
	results := map[string]opResult{}
	for _, name := range []string{"new_keypair", "next_message_box_index"} {
		op := ops[name]
		for i := 0; i < warmup; i++ {
			must(op(primary))
		}
		times := make([]float64, sequential)
		for i := range times {
			t := time.Now()
			must(op(primary))
			times[i] = float64(time.Since(t).Nanoseconds()) / 1000
		}
		sort.Float64s(times)
		r := opResult{P50: pct(times, 50), P99: pct(times, 99), OpsPerSec: map[string]float64{}}
		for _, c := range levels {
			clients := make([]*thin.ThinClient, c)
			for i := range clients {
				clients[i] = dial(cfg)
			}
			per := (total + c - 1) / c
			var wg sync.WaitGroup
			cpu := cpuMicros()
			t := time.Now()
			for i := 0; i < c; i++ {
				wg.Add(1)
				go func(tc *thin.ThinClient) {
					defer wg.Done()
					for j := 0; j < per; j++ {
						must(op(tc))
					}
				}(clients[i])
			}
			wg.Wait()
			seconds := time.Since(t).Seconds()
			used := cpuMicros() - cpu
			r.OpsPerSec[strconv.Itoa(c)] = float64(per*c) / seconds
			if c == 16 {
				v := used / float64(per*c)
				r.CPUUsPerOp = &v
			}
			for _, tc := range clients {
				_ = tc.Close()
			}
		}
		results[name] = r
	}
	result["ops"] = results
	result["memory"] = nil
	out, _ := json.Marshal(result)
	fmt.Println(string(out))
	_ = primary.Close()
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func pct(sorted []float64, p float64) float64 {
	i := int(p / 100 * float64(len(sorted)))
	if i >= len(sorted) {
		i = len(sorted) - 1
	}
	return sorted[i]
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
