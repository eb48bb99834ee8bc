from fastapi import FastAPI

app = FastAPI(title="CarVision-Market-Intelligence")
