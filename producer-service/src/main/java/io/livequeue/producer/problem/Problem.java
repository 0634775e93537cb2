package io.livequeue.producer.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** An RFC 9457 problem document, the body of every error the producer returns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    /** The media type's name, for annotations. */
    public static final String MEDIA_TYPE_NAME = "application/problem+json";
    public static final MediaType MEDIA_TYPE = MediaType.valueOf(MEDIA_TYPE_NAME);

    public static Response.ResponseBuilder response(int status, String slug, String title, String detail,
            String instance, List<FieldError> errors) {
        return Response.status(status).type(MEDIA_TYPE)
                .entity(new Problem("urn:livequeue:problem:" + slug, title, status, detail, instance, errors));
    }
}
