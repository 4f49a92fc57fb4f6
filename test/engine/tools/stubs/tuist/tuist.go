// Package tuist is a minimal, non-interactive stand-in for
// github.com/vito/tuist, which the Go proxy our machines reach does not
// serve. It only has to compile dagger's "pretty" TUI frontend: the test
// engine and CLI are always used non-interactively (plain/dots progress), so
// nothing here draws anything.
package tuist

import (
	"context"
	"io"

	uv "github.com/charmbracelet/ultraviolet"
)

// Component renders itself into a Context.
type Component interface {
	Render(ctx Context)
}

type Interactive interface {
	HandleKeyPress(ctx Context, ev uv.KeyPressEvent) bool
}

type Focusable interface {
	SetFocused(ctx Context, focused bool)
}

type Mounter interface{ OnMount(ctx Context) }

type Dismounter interface{ OnDismount() }

// Context carries render dimensions and collects rendered lines.
type Context struct {
	context.Context
	Width  int
	Height int
	lines  *[]string
}

func (c Context) Line(s string) { c.Lines(s) }

func (c Context) Lines(ls ...string) {
	if c.lines != nil {
		*c.lines = append(*c.lines, ls...)
	}
}

func (c Context) ScreenHeight() int { return c.Height }

func (c Context) Resize(w, h int) Context { c.Width, c.Height = w, h; return c }

// RenderResult is the output of rendering a child component.
type RenderResult struct {
	Lines []string
}

// Compo is embedded by components.
type Compo struct{}

func (*Compo) Update() {}

func render(ctx Context, c Component) []string {
	var out []string
	ctx.lines = &out
	if ctx.Context == nil {
		ctx.Context = context.Background()
	}
	c.Render(ctx)
	return out
}

func (*Compo) RenderChild(ctx Context, c Component) string {
	ls := render(ctx, c)
	s := ""
	for i, l := range ls {
		if i > 0 {
			s += "\n"
		}
		s += l
	}
	return s
}

func (cp *Compo) RenderChildInline(ctx Context, c Component) string {
	return cp.RenderChild(ctx, c)
}

func (*Compo) RenderChildResult(ctx Context, c Component) RenderResult {
	return RenderResult{Lines: render(ctx, c)}
}

// Container holds child components.
type Container struct {
	Compo
	Children []Component
}

func (c *Container) AddChild(ch Component) { c.Children = append(c.Children, ch) }

func (c *Container) Render(ctx Context) {
	for _, ch := range c.Children {
		ctx.Lines(render(ctx, ch)...)
	}
}

type Terminal interface{}

func NewStdTerminal() Terminal { return nil }

// TUI is the root of a component tree.
type TUI struct {
	Container
}

func New(Terminal) *TUI { return &TUI{} }

func (t *TUI) RemoveChild(ch Component) {
	kept := t.Children[:0]
	for _, c := range t.Children {
		if c != ch {
			kept = append(kept, c)
		}
	}
	t.Children = kept
}
func (*TUI) SetFocus(Component)          {}
func (*TUI) SetShowHardwareCursor(bool)  {}
func (*TUI) SetDebugWriter(io.Writer)    {}
func (*TUI) RequestRender(...bool)       {}
func (*TUI) Start() error                { return nil }
func (*TUI) Stop()                       {}
func (*TUI) Dispatch(fn func())          { fn() }
func (t *TUI) RenderLines() []string     { return render(Context{}, &t.Container) }
func (*TUI) Exec(fn func(in io.Reader, out io.Writer, errOut io.Writer) error) error {
	return fn(nil, io.Discard, io.Discard)
}

type SizeValue struct{ abs int }

func SizeAbs(n int) SizeValue { return SizeValue{abs: n} }

type Anchor int

const AnchorTopRight Anchor = 0

type OverlayMargin struct{ Top, Right, Bottom, Left int }

type OverlayOptions struct {
	Width  SizeValue
	Anchor Anchor
	Margin OverlayMargin
}

type OverlayHandle struct{}

func (*OverlayHandle) Remove() {}

func (*TUI) ShowOverlay(Component, *OverlayOptions) *OverlayHandle { return &OverlayHandle{} }

// TextInput is a single-line input.
type TextInput struct {
	Compo
	Prompt         string
	OnSubmit       func(ctx Context, value string) bool
	KeyInterceptor func(ctx Context, ev uv.KeyPressEvent) bool
	value          string
}

func NewTextInput(prompt string) *TextInput { return &TextInput{Prompt: prompt} }
func (t *TextInput) Value() string         { return t.value }
func (t *TextInput) SetValue(v string)     { t.value = v }
func (t *TextInput) InsertRune(r rune)     { t.value += string(r) }
func (t *TextInput) Render(ctx Context)    { ctx.Line(t.Prompt + t.value) }
func (t *TextInput) HandleKeyPress(ctx Context, ev uv.KeyPressEvent) bool { return false }

type Completion struct {
	Label       string
	Detail      string
	Description string
	Insert      string
	Kind        string
}

type CompletionResult struct {
	Items       []Completion
	ReplaceFrom int
}

type CompletionMenu struct{ Compo }

func NewCompletionMenu(*TextInput, func(input string, cursorPos int) CompletionResult) *CompletionMenu {
	return &CompletionMenu{}
}
func (*CompletionMenu) Render(Context)                                  {}
func (*CompletionMenu) HandleKeyPress(ctx Context, ev uv.KeyPressEvent) bool { return false }

type Spinner struct {
	Compo
	Epoch any
}

func NewSpinner() *Spinner          { return &Spinner{} }
func (*Spinner) Render(ctx Context) { ctx.Line("*") }

// MouseEvent wraps an ultraviolet mouse event with its row/column.
type MouseEvent struct {
	uv.MouseEvent
	Row, Col int
}

type MouseEnabled interface {
	HandleMouse(ctx Context, ev MouseEvent) bool
}

type Hoverable interface{}

func (Context) SetFocus(Component) {}
