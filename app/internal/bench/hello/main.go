// Command hello is the baseline for scripts/bench-app.sh: the smallest
// net/http server that answers GET / with a greeting. Whatever the app costs
// beyond this (JSON, the request log, the metadata lookup, the mux) is what
// the benchmark shows. Not part of the image: .dockerignore excludes internal/.
package main

import (
	"log"
	"net/http"
	"os"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("Hello from ECS Fargate!\n"))
	})
	log.Fatal(http.ListenAndServe(":"+port, nil))
}
