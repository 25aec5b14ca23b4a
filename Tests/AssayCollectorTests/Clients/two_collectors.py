"""Sends agent traces to two OTLP/HTTP collectors with the real OpenTelemetry SDK, as a load balancer
would: each export batch goes to the next collector in turn, and to the other one when that one fails.
Writes the spans whose export was acknowledged (HTTP 200: committed), one "traceid spanid" per line.

  python two_collectors.py --endpoints http://127.0.0.1:A/v1/traces,http://127.0.0.1:B/v1/traces \
      --traces 400 --out acked.txt [--started started.txt]

--started is written once the first batches were acknowledged, so a test can kill a collector under load.
"""

import argparse
import itertools
import threading

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.trace import SpanKind


class Balancer(SpanExporter):
    def __init__(self, endpoints, started):
        self.exporters = [OTLPSpanExporter(endpoint=e, timeout=2) for e in endpoints]
        self.turn = itertools.count()
        self.acked = []
        self.lock = threading.Lock()
        self.started = started
        self.down = set()

    def export(self, spans):
        first = next(self.turn) % len(self.exporters)
        order = [(first + k) % len(self.exporters) for k in range(len(self.exporters))]
        # A collector that failed is taken out of the rotation, as a load balancer's health check does.
        for i in [i for i in order if i not in self.down] + [i for i in order if i in self.down]:
            exporter = self.exporters[i]
            try:
                result = exporter.export(spans)
            except Exception:
                result = SpanExportResult.FAILURE
            if result == SpanExportResult.SUCCESS:
                with self.lock:
                    self.acked.extend(f"{s.context.trace_id:032x} {s.context.span_id:016x}" for s in spans)
                    if self.started and len(self.acked) >= 200:
                        open(self.started, "w").close()
                        self.started = None
                return result
            self.down.add(i)
        return SpanExportResult.FAILURE

    def shutdown(self):
        for e in self.exporters:
            e.shutdown()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoints", required=True)
    parser.add_argument("--traces", type=int, default=400)
    parser.add_argument("--out", required=True)
    parser.add_argument("--started")
    args = parser.parse_args()

    balancer = Balancer(args.endpoints.split(","), args.started)
    provider = TracerProvider(resource=Resource.create({"service.name": "email-assistant"}))
    provider.add_span_processor(BatchSpanProcessor(balancer, max_export_batch_size=24, schedule_delay_millis=20, max_queue_size=100000))
    tracer = provider.get_tracer("two-collectors")
    for i in range(args.traces):
        with tracer.start_as_current_span("invoke_agent email_assistant") as top:
            top.set_attribute("gen_ai.operation.name", "invoke_agent")
            for step in range(4):
                with tracer.start_as_current_span("chat gpt-4o-mini", kind=SpanKind.CLIENT) as chat:
                    chat.set_attribute("gen_ai.operation.name", "chat")
                    chat.set_attribute("gen_ai.request.model", "gpt-4o-mini")
                    chat.set_attribute("gen_ai.usage.input_tokens", 100 + step)
                    chat.set_attribute("gen_ai.usage.output_tokens", 10)
    provider.shutdown()
    with open(args.out, "w") as f:
        f.write("\n".join(balancer.acked) + "\n")


if __name__ == "__main__":
    main()
