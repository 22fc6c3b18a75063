"""Drives kprov's MCP server with the official Python MCP client, for MCPServerTests.

Reads a plan as JSON on standard input:
    {"url": "http://127.0.0.1:PORT/mcp", "headers": {...}, "calls": [{"name": ..., "arguments": {...}}]}
initializes a session, lists the tools, makes each call in order, ends the session (DELETE), and prints what
it saw as one JSON object on standard output:
    {"server": {...}, "protocolVersion": ..., "sessionId": ..., "tools": [...],
     "calls": [{"isError": bool, "text": str, "structuredContent": object or null} or {"protocolError": str}]}
"""

import json
import sys

import anyio
from mcp import ClientSession
from mcp.client.streamable_http import streamablehttp_client
from mcp.shared.exceptions import McpError


async def run(plan):
    report = {"calls": []}
    async with streamablehttp_client(plan["url"], headers=plan.get("headers") or None) as (read, write, session_id):
        async with ClientSession(read, write) as session:
            initialized = await session.initialize()
            report["server"] = initialized.serverInfo.model_dump(exclude_none=True)
            report["protocolVersion"] = initialized.protocolVersion
            report["sessionId"] = session_id()
            listed = await session.list_tools()
            report["tools"] = [tool.model_dump(by_alias=True, exclude_none=True) for tool in listed.tools]
            for call in plan["calls"]:
                try:
                    result = await session.call_tool(call["name"], call["arguments"])
                except McpError as error:
                    report["calls"].append({"protocolError": str(error)})
                    continue
                text = "".join(item.text for item in result.content if item.type == "text")
                report["calls"].append(
                    {"isError": bool(result.isError), "text": text, "structuredContent": result.structuredContent}
                )
    return report


def main():
    plan = json.load(sys.stdin)
    print(json.dumps(anyio.run(run, plan)))


if __name__ == "__main__":
    main()
