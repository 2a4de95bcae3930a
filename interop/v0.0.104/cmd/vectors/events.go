package main

import (
	"encoding/hex"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/katzenpost/katzenpost/client/thin"
)

// eventVector is one response frame body of kpclientd v0.0.104, as its daemon encodes it.
type eventVector struct {
	Name        string   `json:"name"`
	Hex         string   `json:"hex"`
	ForwardHops []string `json:"forward_route"`
	ReturnHops  []string `json:"return_route"`
	Err         string   `json:"err"`
}

type eventFile struct {
	Comment string        `json:"comment"`
	Vectors []eventVector `json:"vectors"`
}

// messageSentEvents are message_sent_event frames with and without the routes v0.0.104 added.
func messageSentEvents() eventFile {
	var id [thin.MessageIDLength]byte
	var surb [16]byte
	for i := range id {
		id[i] = byte(i)
	}
	for i := range surb {
		surb[i] = byte(0xa0 + i)
	}
	sentAt := time.Unix(1_760_000_000, 0)
	cases := []struct {
		name string
		ev   thin.MessageSentEvent
	}{
		{"routes", thin.MessageSentEvent{MessageID: &id, SURBID: &surb, SentAt: sentAt, ReplyETA: 2500 * time.Millisecond,
			ForwardRoute: []string{"gateway1", "mix1", "mix2", "mix3", "servicenode1"},
			ReturnRoute:  []string{"servicenode1", "mix3", "mix2", "mix1", "gateway1"}}},
		{"forward_route_only", thin.MessageSentEvent{MessageID: &id, SentAt: sentAt,
			ForwardRoute: []string{"gateway1", "mix1", "servicenode1"}}},
		{"no_routes", thin.MessageSentEvent{MessageID: &id, SURBID: &surb, SentAt: sentAt, ReplyETA: time.Second}},
		{"err", thin.MessageSentEvent{MessageID: &id, SURBID: &surb, Err: "no route to gateway"}},
	}
	f := eventFile{Comment: "kpclientd v0.0.104 message_sent_event frame bodies (thin.Response marshalled with fxamacker/cbor defaults, as the daemon sends them). forward_route / return_route are omitted when empty."}
	for _, c := range cases {
		ev := c.ev
		b, err := cbor.Marshal(&thin.Response{MessageSentEvent: &ev})
		if err != nil {
			panic(err)
		}
		f.Vectors = append(f.Vectors, eventVector{Name: c.name, Hex: hex.EncodeToString(b),
			ForwardHops: nonNil(ev.ForwardRoute), ReturnHops: nonNil(ev.ReturnRoute), Err: ev.Err})
	}
	return f
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
