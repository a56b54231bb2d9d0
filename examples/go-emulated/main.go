// hello: a minimal HTTP service for the GC110 example. `hello -arch` prints the GOARCH the
// binary was compiled for (the e2e test runs it on each platform); otherwise it serves
// "hello from linux/<arch>" on :8080 (or $PORT).
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"runtime"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-arch" {
		fmt.Println(runtime.GOARCH)
		return
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello from %s/%s\n", runtime.GOOS, runtime.GOARCH)
	})
	log.Fatal(http.ListenAndServe(":"+port, nil))
}
