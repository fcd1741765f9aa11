package infra

import (
	"path/filepath"
	"testing"
)

// BenchmarkProgram measures one whole evaluation of the program under
// mocks for the dev and prod stacks (config validation, the build-context
// hash, every resource registration and output).
func BenchmarkProgram(b *testing.B) {
	proj := loadProject(b)
	for _, stack := range []string{"dev", "prod"} {
		cfg := stackConfig(b, proj, filepath.Join(projectRoot, "Pulumi."+stack+".yaml"))
		b.Run(stack, func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for b.Loop() {
				r := runProgram(b, stack, cfg)
				if r.err != nil {
					b.Fatal(r.err)
				}
				n = len(r.resources)
			}
			b.ReportMetric(float64(n), "resources")
		})
	}
}
