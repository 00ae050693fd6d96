import { videoImageHandler } from "@/lib/http/video-images";

export const dynamic = "force-dynamic";

export const GET = videoImageHandler("poster");
