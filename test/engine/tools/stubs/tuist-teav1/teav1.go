// Package teav1 is a non-interactive stand-in for github.com/vito/tuist/teav1
// (see ../tuist).
package teav1

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/vito/tuist"
)

type Wrap struct {
	tuist.Compo
	model tea.Model
}

func New(m tea.Model) *Wrap          { return &Wrap{model: m} }
func (w *Wrap) OnQuit(fn func())     {}
func (w *Wrap) Render(tuist.Context) {}
