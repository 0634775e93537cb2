package io.livequeue.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A running job's latest progress report, as its handler made it ({@code ctx.progress(percent, data)}) and the
 * server passes it on ({@code "progress":{"percent":n,"data":…}}). It exists so that a progress bar reads a number
 * and a caller's own detail (any JSON, null when the handler gave none) without digging in the event's JSON.
 *
 * @param percent from 0 to 100
 * @param data    the handler's JSON, read with Jackson into your own type; null when none
 */
public record Progress(double percent, JsonNode data) {
}
