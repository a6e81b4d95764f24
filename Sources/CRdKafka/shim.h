#ifndef WEIR_CRDKAFKA_SHIM_H
#define WEIR_CRDKAFKA_SHIM_H

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

/* Macros that do not import into Swift, re-exposed as functions. */
static inline int64_t weir_rd_kafka_offset_beginning(void) { return RD_KAFKA_OFFSET_BEGINNING; }
static inline int64_t weir_rd_kafka_offset_end(void) { return RD_KAFKA_OFFSET_END; }
static inline int64_t weir_rd_kafka_offset_stored(void) { return RD_KAFKA_OFFSET_STORED; }
static inline int64_t weir_rd_kafka_offset_invalid(void) { return RD_KAFKA_OFFSET_INVALID; }
static inline int32_t weir_rd_kafka_partition_ua(void) { return RD_KAFKA_PARTITION_UA; }

#endif
