package main

import (
	"time"

	"github.com/katzenpost/hpqc/bacap"
	"github.com/katzenpost/katzenpost/client/thin"
	"github.com/katzenpost/katzenpost/pigeonhole"

	fx "github.com/katzenpost-effect/interop/internal/fixtures"
)

type named[T any] struct {
	name string
	msg  *T
}

// bacapSet is the capability material used inside thin messages: the
// new_keypair derivation of seed 00..1f, its first index and the next index.
type bacapSet struct {
	wc    *bacap.WriteCap
	rc    *bacap.ReadCap
	first *bacap.MessageBoxIndex
	next  *bacap.MessageBoxIndex
	// second destination for multi-payload messages (seed 80..9f)
	wc2    *bacap.WriteCap
	first2 *bacap.MessageBoxIndex
	next2  *bacap.MessageBoxIndex
}

func newBacapSet() *bacapSet {
	s := &bacapSet{}
	s.wc, s.rc, s.first = fx.KeypairFromSeed(fx.Seq(0x00, 32))
	var err error
	if s.next, err = s.first.NextIndex(); err != nil {
		panic(err)
	}
	s.wc2, _, s.first2 = fx.KeypairFromSeed(fx.Seq(0x80, 32))
	if s.next2, err = s.first2.NextIndex(); err != nil {
		panic(err)
	}
	return s
}

func u8(v uint8) *uint8 { return &v }

var (
	plaintext          = []byte("hello pigeonhole")
	payload            = []byte("hello mixnet")
	messageCiphertext  = fx.Seq(0x60, 48)
	envelopeDescriptor = fx.Seq(0xa0, 40)
	courierQueueID     = []byte("courier")
	envelopes          = [][]byte{fx.Seq(0xc0, 24), fx.Seq(0xd0, 8)}
	buffer             = fx.Seq(0xe0, 12)
)

func requests(b *bacapSet) []named[thin.Request] {
	q := fx.QueryID
	return []named[thin.Request]{
		{"session_token", &thin.Request{SessionToken: &thin.SessionToken{ClientInstanceToken: *fx.InstanceToken}}},
		{"thin_close", &thin.Request{ThinClose: &thin.ThinClose{}}},
		{"send_message/with_surb", &thin.Request{SendMessage: &thin.SendMessage{
			ID: fx.MessageID, WithSURB: true, SURBID: fx.SURBID, DestinationIdHash: fx.Hash32,
			RecipientQueueID: []byte("+echo"), Payload: payload,
		}}},
		{"send_message/without_surb", &thin.Request{SendMessage: &thin.SendMessage{
			ID: fx.MessageID, WithSURB: false, SURBID: nil, DestinationIdHash: fx.Hash32,
			RecipientQueueID: []byte("+echo"), Payload: payload,
		}}},
		{"new_keypair", &thin.Request{NewKeypair: &thin.NewKeypair{QueryID: q, Seed: fx.Seq(0x00, 32)}}},
		{"encrypt_read", &thin.Request{EncryptRead: &thin.EncryptRead{QueryID: q, ReadCap: b.rc, MessageBoxIndex: b.first}}},
		{"encrypt_write", &thin.Request{EncryptWrite: &thin.EncryptWrite{QueryID: q, Plaintext: plaintext, WriteCap: b.wc, MessageBoxIndex: b.first}}},
		{"encrypt_write/tombstone_empty_plaintext", &thin.Request{EncryptWrite: &thin.EncryptWrite{QueryID: q, Plaintext: []byte{}, WriteCap: b.wc, MessageBoxIndex: b.first}}},
		{"start_resending_encrypted_message/read", &thin.Request{StartResendingEncryptedMessage: &thin.StartResendingEncryptedMessage{
			QueryID: q, ReadCap: b.rc, MessageBoxIndex: fx.MustBin(b.first),
			EnvelopeDescriptor: envelopeDescriptor, MessageCiphertext: messageCiphertext, EnvelopeHash: fx.Hash32,
		}}},
		{"start_resending_encrypted_message/write", &thin.Request{StartResendingEncryptedMessage: &thin.StartResendingEncryptedMessage{
			QueryID: q, WriteCap: b.wc,
			EnvelopeDescriptor: envelopeDescriptor, MessageCiphertext: messageCiphertext, EnvelopeHash: fx.Hash32,
		}}},
		{"start_resending_encrypted_message/reply_index_0", &thin.Request{StartResendingEncryptedMessage: &thin.StartResendingEncryptedMessage{
			QueryID: q, ReadCap: b.rc, MessageBoxIndex: fx.MustBin(b.first), ReplyIndex: u8(0),
			EnvelopeDescriptor: envelopeDescriptor, MessageCiphertext: messageCiphertext, EnvelopeHash: fx.Hash32,
		}}},
		{"start_resending_encrypted_message/reply_index_3", &thin.Request{StartResendingEncryptedMessage: &thin.StartResendingEncryptedMessage{
			QueryID: q, ReadCap: b.rc, MessageBoxIndex: fx.MustBin(b.first), ReplyIndex: u8(3),
			EnvelopeDescriptor: envelopeDescriptor, MessageCiphertext: messageCiphertext, EnvelopeHash: fx.Hash32,
		}}},
		{"start_resending_encrypted_message/no_retry_on_box_id_not_found", &thin.Request{StartResendingEncryptedMessage: &thin.StartResendingEncryptedMessage{
			QueryID: q, ReadCap: b.rc, MessageBoxIndex: fx.MustBin(b.first),
			EnvelopeDescriptor: envelopeDescriptor, MessageCiphertext: messageCiphertext, EnvelopeHash: fx.Hash32,
			NoRetryOnBoxIDNotFound: true,
		}}},
		{"start_resending_encrypted_message/no_idempotent_box_already_exists", &thin.Request{StartResendingEncryptedMessage: &thin.StartResendingEncryptedMessage{
			QueryID: q, WriteCap: b.wc,
			EnvelopeDescriptor: envelopeDescriptor, MessageCiphertext: messageCiphertext, EnvelopeHash: fx.Hash32,
			NoIdempotentBoxAlreadyExists: true,
		}}},
		{"cancel_resending_encrypted_message", &thin.Request{CancelResendingEncryptedMessage: &thin.CancelResendingEncryptedMessage{QueryID: q, EnvelopeHash: fx.Hash32}}},
		{"start_resending_copy_command", &thin.Request{StartResendingCopyCommand: &thin.StartResendingCopyCommand{QueryID: q, WriteCap: b.wc}}},
		{"start_resending_copy_command/with_courier", &thin.Request{StartResendingCopyCommand: &thin.StartResendingCopyCommand{
			QueryID: q, WriteCap: b.wc, CourierIdentityHash: fx.Hash32, CourierQueueID: courierQueueID,
		}}},
		{"cancel_resending_copy_command", &thin.Request{CancelResendingCopyCommand: &thin.CancelResendingCopyCommand{QueryID: q, WriteCapHash: fx.Hash32}}},
		{"next_message_box_index", &thin.Request{NextMessageBoxIndex: &thin.NextMessageBoxIndex{QueryID: q, MessageBoxIndex: b.first}}},
		{"get_message_box_index_counter", &thin.Request{GetMessageBoxIndexCounter: &thin.GetMessageBoxIndexCounter{QueryID: q, MessageBoxIndex: b.first}}},
		{"create_courier_envelopes_from_payload", &thin.Request{CreateCourierEnvelopesFromPayload: &thin.CreateCourierEnvelopesFromPayload{
			QueryID: q, Payload: payload, DestWriteCap: b.wc, DestStartIndex: b.first, IsStart: true, IsLast: true,
		}}},
		{"create_courier_envelopes_from_multi_payload/first", &thin.Request{CreateCourierEnvelopesFromPayloads: &thin.CreateCourierEnvelopesFromPayloads{
			QueryID: q,
			Destinations: []thin.DestinationPayload{
				{Payload: payload, WriteCap: b.wc, StartIndex: b.first},
				{Payload: plaintext, WriteCap: b.wc2, StartIndex: b.first2},
			},
			IsStart: true, IsLast: false, Buffer: nil,
		}}},
		{"create_courier_envelopes_from_multi_payload/last_with_buffer", &thin.Request{CreateCourierEnvelopesFromPayloads: &thin.CreateCourierEnvelopesFromPayloads{
			QueryID: q,
			Destinations: []thin.DestinationPayload{
				{Payload: payload, WriteCap: b.wc, StartIndex: b.next},
			},
			IsStart: false, IsLast: true, Buffer: buffer,
		}}},
		{"create_courier_envelopes_from_tombstone_range", &thin.Request{CreateCourierEnvelopesFromTombstoneRange: &thin.CreateCourierEnvelopesFromTombstoneRange{
			QueryID: q, DestWriteCap: b.wc, DestStartIndex: b.first, MaxCount: 5, IsStart: true, IsLast: false, Buffer: nil,
		}}},
		{"create_courier_envelopes_from_tombstone_range/with_buffer", &thin.Request{CreateCourierEnvelopesFromTombstoneRange: &thin.CreateCourierEnvelopesFromTombstoneRange{
			QueryID: q, DestWriteCap: b.wc, DestStartIndex: b.next, MaxCount: 4294967295, IsStart: false, IsLast: true, Buffer: buffer,
		}}},
	}
}

func responses(b *bacapSet, pkiCanonical []byte) []named[thin.Response] {
	q := fx.QueryID
	const (
		errInvalidRequest     = thin.ThinClientErrorInvalidRequest
		errInternal           = thin.ThinClientErrorInternalError
		errCancelled          = thin.ThinClientErrorStartResendingCancelled
		errCopyCommandFailed  = thin.ThinClientErrorCopyCommandFailed
		errTombstone          = pigeonhole.ReplicaErrorTombstone
		errReplicaBoxNotFound = pigeonhole.ReplicaErrorBoxIDNotFound
	)
	sentAt := time.Unix(1767225600, 0) // 2026-01-01T00:00:00Z
	return []named[thin.Response]{
		{"session_token_reply/new", &thin.Response{SessionTokenReply: &thin.SessionTokenReply{AppID: fx.AppID, Resumed: false}}},
		{"session_token_reply/resumed", &thin.Response{SessionTokenReply: &thin.SessionTokenReply{AppID: fx.AppID, Resumed: true}}},
		{"shutdown_event", &thin.Response{ShutdownEvent: &thin.ShutdownEvent{}}},
		{"connection_status_event/connected", &thin.Response{ConnectionStatusEvent: &thin.ConnectionStatusEvent{IsConnected: true, InstanceToken: *fx.InstanceToken}}},
		{"connection_status_event/disconnected", &thin.Response{ConnectionStatusEvent: &thin.ConnectionStatusEvent{IsConnected: false, InstanceToken: *fx.InstanceToken}}},
		{"new_pki_document_event/null_payload", &thin.Response{NewPKIDocumentEvent: &thin.NewPKIDocumentEvent{Payload: nil}}},
		{"new_pki_document_event/canonical_doc", &thin.Response{NewPKIDocumentEvent: &thin.NewPKIDocumentEvent{Payload: pkiCanonical}}},
		{"message_sent_event", &thin.Response{MessageSentEvent: &thin.MessageSentEvent{
			MessageID: fx.MessageID, SURBID: fx.SURBID, SentAt: sentAt, ReplyETA: 1500 * time.Millisecond,
		}}},
		{"message_sent_event/err", &thin.Response{MessageSentEvent: &thin.MessageSentEvent{
			MessageID: fx.MessageID, SURBID: fx.SURBID, SentAt: sentAt, ReplyETA: 0, Err: "failed to send",
		}}},
		{"message_sent_event/zero_time", &thin.Response{MessageSentEvent: &thin.MessageSentEvent{
			MessageID: fx.MessageID, SURBID: fx.SURBID,
		}}},
		{"message_reply_event", &thin.Response{MessageReplyEvent: &thin.MessageReplyEvent{
			MessageID: fx.MessageID, SURBID: fx.SURBID, Payload: payload, ErrorCode: 0,
		}}},
		{"message_reply_event/reply_index", &thin.Response{MessageReplyEvent: &thin.MessageReplyEvent{
			MessageID: fx.MessageID, SURBID: fx.SURBID, Payload: payload, ReplyIndex: u8(1), ErrorCode: 0,
		}}},
		{"message_reply_event/reply_index_0", &thin.Response{MessageReplyEvent: &thin.MessageReplyEvent{
			MessageID: fx.MessageID, SURBID: fx.SURBID, Payload: payload, ReplyIndex: u8(0), ErrorCode: 0,
		}}},
		{"message_reply_event/error", &thin.Response{MessageReplyEvent: &thin.MessageReplyEvent{
			MessageID: fx.MessageID, SURBID: fx.SURBID, ErrorCode: errInternal,
		}}},
		{"message_id_garbage_collected", &thin.Response{MessageIDGarbageCollected: &thin.MessageIDGarbageCollected{MessageID: fx.MessageID}}},
		{"new_keypair_reply", &thin.Response{NewKeypairReply: &thin.NewKeypairReply{
			QueryID: q, WriteCap: b.wc, ReadCap: b.rc, FirstMessageIndex: b.first, ErrorCode: 0,
		}}},
		{"new_keypair_reply/error", &thin.Response{NewKeypairReply: &thin.NewKeypairReply{QueryID: q, ErrorCode: errInvalidRequest}}},
		{"encrypt_read_reply", &thin.Response{EncryptReadReply: &thin.EncryptReadReply{
			QueryID: q, MessageCiphertext: messageCiphertext, EnvelopeDescriptor: envelopeDescriptor,
			EnvelopeHash: fx.Hash32, NextMessageBoxIndex: b.next, ErrorCode: 0,
		}}},
		{"encrypt_read_reply/error", &thin.Response{EncryptReadReply: &thin.EncryptReadReply{QueryID: q, ErrorCode: errInternal}}},
		{"encrypt_write_reply", &thin.Response{EncryptWriteReply: &thin.EncryptWriteReply{
			QueryID: q, MessageCiphertext: messageCiphertext, EnvelopeDescriptor: envelopeDescriptor,
			EnvelopeHash: fx.Hash32, NextMessageBoxIndex: b.next, ErrorCode: 0,
		}}},
		{"encrypt_write_reply/error", &thin.Response{EncryptWriteReply: &thin.EncryptWriteReply{QueryID: q, ErrorCode: errInvalidRequest}}},
		{"start_resending_encrypted_message_reply/read_ok", &thin.Response{StartResendingEncryptedMessageReply: &thin.StartResendingEncryptedMessageReply{
			QueryID: q, Plaintext: plaintext, ErrorCode: 0, CourierIdentityHash: fx.Hash32, CourierQueueID: courierQueueID,
		}}},
		{"start_resending_encrypted_message_reply/write_ok", &thin.Response{StartResendingEncryptedMessageReply: &thin.StartResendingEncryptedMessageReply{
			QueryID: q, Plaintext: nil, ErrorCode: 0, CourierIdentityHash: fx.Hash32, CourierQueueID: courierQueueID,
		}}},
		{"start_resending_encrypted_message_reply/tombstone_empty_plaintext", &thin.Response{StartResendingEncryptedMessageReply: &thin.StartResendingEncryptedMessageReply{
			QueryID: q, Plaintext: []byte{}, ErrorCode: errTombstone, CourierIdentityHash: fx.Hash32, CourierQueueID: courierQueueID,
		}}},
		{"start_resending_encrypted_message_reply/box_id_not_found", &thin.Response{StartResendingEncryptedMessageReply: &thin.StartResendingEncryptedMessageReply{
			QueryID: q, ErrorCode: errReplicaBoxNotFound, CourierIdentityHash: fx.Hash32, CourierQueueID: courierQueueID,
		}}},
		{"start_resending_encrypted_message_reply/cancelled", &thin.Response{StartResendingEncryptedMessageReply: &thin.StartResendingEncryptedMessageReply{
			QueryID: q, ErrorCode: errCancelled, CourierIdentityHash: fx.Hash32, CourierQueueID: courierQueueID,
		}}},
		{"start_resending_encrypted_message_reply/validation_error", &thin.Response{StartResendingEncryptedMessageReply: &thin.StartResendingEncryptedMessageReply{
			QueryID: q, ErrorCode: errInvalidRequest,
		}}},
		{"cancel_resending_encrypted_message_reply", &thin.Response{CancelResendingEncryptedMessageReply: &thin.CancelResendingEncryptedMessageReply{QueryID: q, ErrorCode: 0}}},
		{"cancel_resending_encrypted_message_reply/error", &thin.Response{CancelResendingEncryptedMessageReply: &thin.CancelResendingEncryptedMessageReply{QueryID: q, ErrorCode: errInvalidRequest}}},
		{"start_resending_copy_command_reply", &thin.Response{StartResendingCopyCommandReply: &thin.StartResendingCopyCommandReply{QueryID: q, ErrorCode: 0}}},
		{"start_resending_copy_command_reply/failed", &thin.Response{StartResendingCopyCommandReply: &thin.StartResendingCopyCommandReply{
			QueryID: q, ErrorCode: errCopyCommandFailed, ReplicaErrorCode: 1, FailedEnvelopeIndex: 7,
		}}},
		{"start_resending_copy_command_reply/failed_large_index", &thin.Response{StartResendingCopyCommandReply: &thin.StartResendingCopyCommandReply{
			QueryID: q, ErrorCode: errCopyCommandFailed, ReplicaErrorCode: 2, FailedEnvelopeIndex: 1<<63 + 5,
		}}},
		{"start_resending_copy_command_reply/cancelled", &thin.Response{StartResendingCopyCommandReply: &thin.StartResendingCopyCommandReply{QueryID: q, ErrorCode: errCancelled}}},
		{"cancel_resending_copy_command_reply", &thin.Response{CancelResendingCopyCommandReply: &thin.CancelResendingCopyCommandReply{QueryID: q, ErrorCode: 0}}},
		{"cancel_resending_copy_command_reply/error", &thin.Response{CancelResendingCopyCommandReply: &thin.CancelResendingCopyCommandReply{QueryID: q, ErrorCode: errInvalidRequest}}},
		{"next_message_box_index_reply", &thin.Response{NextMessageBoxIndexReply: &thin.NextMessageBoxIndexReply{QueryID: q, NextMessageBoxIndex: b.next, ErrorCode: 0}}},
		{"next_message_box_index_reply/error", &thin.Response{NextMessageBoxIndexReply: &thin.NextMessageBoxIndexReply{QueryID: q, ErrorCode: errInvalidRequest}}},
		{"get_message_box_index_counter_reply", &thin.Response{GetMessageBoxIndexCounterReply: &thin.GetMessageBoxIndexCounterReply{QueryID: q, Counter: b.first.Idx64, ErrorCode: 0}}},
		{"get_message_box_index_counter_reply/small", &thin.Response{GetMessageBoxIndexCounterReply: &thin.GetMessageBoxIndexCounterReply{QueryID: q, Counter: 42, ErrorCode: 0}}},
		{"get_message_box_index_counter_reply/error", &thin.Response{GetMessageBoxIndexCounterReply: &thin.GetMessageBoxIndexCounterReply{QueryID: q, ErrorCode: errInvalidRequest}}},
		{"create_courier_envelopes_from_payload_reply", &thin.Response{CreateCourierEnvelopesFromPayloadReply: &thin.CreateCourierEnvelopesFromPayloadReply{
			QueryID: q, Envelopes: envelopes, NextDestIndex: b.next, ErrorCode: 0,
		}}},
		{"create_courier_envelopes_from_payload_reply/error", &thin.Response{CreateCourierEnvelopesFromPayloadReply: &thin.CreateCourierEnvelopesFromPayloadReply{QueryID: q, ErrorCode: errInternal}}},
		{"create_courier_envelopes_from_multi_payload_reply/with_buffer", &thin.Response{CreateCourierEnvelopesFromPayloadsReply: &thin.CreateCourierEnvelopesFromPayloadsReply{
			QueryID: q, Envelopes: envelopes, Buffer: buffer, NextDestIndices: []*bacap.MessageBoxIndex{b.next, b.next2}, ErrorCode: 0,
		}}},
		{"create_courier_envelopes_from_multi_payload_reply/last", &thin.Response{CreateCourierEnvelopesFromPayloadsReply: &thin.CreateCourierEnvelopesFromPayloadsReply{
			QueryID: q, Envelopes: envelopes[:1], Buffer: nil, NextDestIndices: []*bacap.MessageBoxIndex{b.next}, ErrorCode: 0,
		}}},
		{"create_courier_envelopes_from_multi_payload_reply/error", &thin.Response{CreateCourierEnvelopesFromPayloadsReply: &thin.CreateCourierEnvelopesFromPayloadsReply{QueryID: q, ErrorCode: errInvalidRequest}}},
		{"create_courier_envelopes_from_tombstone_range_reply", &thin.Response{CreateCourierEnvelopesFromTombstoneRangeReply: &thin.CreateCourierEnvelopesFromTombstoneRangeReply{
			QueryID: q, Envelopes: envelopes, Buffer: buffer, NextDestIndex: b.next, ErrorCode: 0,
		}}},
		{"create_courier_envelopes_from_tombstone_range_reply/max_count_0", &thin.Response{CreateCourierEnvelopesFromTombstoneRangeReply: &thin.CreateCourierEnvelopesFromTombstoneRangeReply{
			QueryID: q, Envelopes: nil, Buffer: nil, NextDestIndex: b.first, ErrorCode: 0,
		}}},
		{"create_courier_envelopes_from_tombstone_range_reply/error", &thin.Response{CreateCourierEnvelopesFromTombstoneRangeReply: &thin.CreateCourierEnvelopesFromTombstoneRangeReply{QueryID: q, ErrorCode: errInternal}}},
	}
}
