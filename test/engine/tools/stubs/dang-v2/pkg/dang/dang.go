// Package dang is an empty placeholder: the real module is not served by our
// Go proxy, and the engine build overlays the only code that used it.
package dang
