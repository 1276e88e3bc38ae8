"""Human agents who take over conversations: accounts, passwords, API keys, sessions."""

from kefu.agents.directory import AgentDirectory, AgentInfo, NewAgent

__all__ = ["AgentDirectory", "AgentInfo", "NewAgent"]
