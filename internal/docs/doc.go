// Package docs holds the tests of the project's Markdown documentation
// (README.md, docs/*.md): every relative link resolves, and the command
// paths the documents give run in the order they are written.
package docs
